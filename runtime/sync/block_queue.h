// BlockQueue<T>: a FIFO in a chain of fixed-size blocks, for a channel's
// messages.
//
// Why blocks (as tokio's channel has): a queue that grows never copies what
// it holds and never asks for more memory than it holds plus one block.
// The growable ring this replaced doubled, so an unbounded channel that
// filled to two million u64s held 32 MB of slots (16 B each, an optional)
// and had copied 32 MB more on the way; mapping those pages was most of the
// `mpsc_unbounded` row's time (docs/benchmarks.md). Why not std::deque:
// libstdc++'s allocates about 600 bytes as soon as it is constructed, and an
// idle channel should cost nothing for messages it does not hold (the `mem`
// row). This one allocates on the first push.
//
// Invariants:
//   * the messages are, in order, slots [head_index_, ...) of head_, the
//     whole of every block after it, and slots [..., tail_index_) of tail_;
//     size_ counts them; every other slot holds no object.
//   * head_ == nullptr exactly when tail_ == nullptr (no block yet).
//   * when size_ is 0 the queue keeps its one block, with both indices at
//     0, so a channel whose messages come and go one at a time reuses it;
//     a block left behind by the head is kept as spare_ (at most one), so a
//     queue that keeps filling and draining does not allocate either.
#ifndef WEFT_RUNTIME_SYNC_BLOCK_QUEUE_H_
#define WEFT_RUNTIME_SYNC_BLOCK_QUEUE_H_

#include <cstddef>
#include <new>
#include <utility>

namespace weft::internal {

template <class T>
class BlockQueue {
 public:
  // tokio's BLOCK_CAP: one allocation per 32 messages.
  static constexpr size_t kBlockSlots = 32;

  BlockQueue() = default;
  BlockQueue(const BlockQueue&) = delete;
  BlockQueue& operator=(const BlockQueue&) = delete;
  ~BlockQueue() {
    while (size_ > 0) pop_front();
    delete head_;  // the one block an empty queue keeps
    delete spare_;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  void push_back(T value) {
    if (tail_ == nullptr) {
      head_ = tail_ = NewBlock();
    } else if (tail_index_ == kBlockSlots) {
      tail_->next = NewBlock();
      tail_ = tail_->next;
      tail_index_ = 0;
    }
    new (tail_->Slot(tail_index_)) T(std::move(value));
    ++tail_index_;
    ++size_;
  }
  T& front() { return *std::launder(head_->Slot(head_index_)); }
  void pop_front() {
    std::launder(head_->Slot(head_index_))->~T();
    ++head_index_;
    --size_;
    if (size_ == 0) {
      // Start the one block over: it is tail_ too, since a block is only
      // ever linked to hold the message being pushed.
      head_index_ = tail_index_ = 0;
    } else if (head_index_ == kBlockSlots) {
      Retire(std::exchange(head_, head_->next));
      head_index_ = 0;
    }
  }
  void swap(BlockQueue& other) noexcept {
    std::swap(head_, other.head_);
    std::swap(tail_, other.tail_);
    std::swap(spare_, other.spare_);
    std::swap(head_index_, other.head_index_);
    std::swap(tail_index_, other.tail_index_);
    std::swap(size_, other.size_);
  }

 private:
  struct Block {
    Block* next = nullptr;
    alignas(T) unsigned char storage[kBlockSlots * sizeof(T)];
    T* Slot(size_t i) { return reinterpret_cast<T*>(storage) + i; }
  };

  Block* NewBlock() {
    if (spare_ == nullptr) return new Block;
    Block* block = std::exchange(spare_, nullptr);
    block->next = nullptr;
    return block;
  }
  // `block` holds no message any more.
  void Retire(Block* block) {
    if (spare_ == nullptr) {
      spare_ = block;
    } else {
      delete block;
    }
  }

  Block* head_ = nullptr;
  Block* tail_ = nullptr;
  Block* spare_ = nullptr;
  size_t head_index_ = 0;
  size_t tail_index_ = 0;
  size_t size_ = 0;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SYNC_BLOCK_QUEUE_H_
