// RingQueue<T>: a FIFO in one growable ring, for a channel's messages.
//
// Why not std::deque: libstdc++'s deque allocates its map and a first
// 512-byte block as soon as it is constructed, so every idle channel paid
// about 600 bytes for messages it did not hold (the sync benchmarks' `mem`
// row: an idle bounded channel with its parked receiver took 1,177 bytes,
// tokio's 656). This one allocates nothing until the first push, then
// doubles; it never shrinks, as a channel that was busy once tends to be
// busy again.
//
// Invariants: slots_.size() is 0 or a power of two (so a mask, not a
// division, wraps an index); the messages are slots_[(head_ + i) & mask]
// for i < size_, each engaged; every other slot is empty.
#ifndef WEFT_RUNTIME_SYNC_RING_QUEUE_H_
#define WEFT_RUNTIME_SYNC_RING_QUEUE_H_

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace weft::internal {

template <class T>
class RingQueue {
 public:
  RingQueue() = default;
  RingQueue(RingQueue&&) noexcept = default;
  RingQueue& operator=(RingQueue&&) noexcept = default;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  void push_back(T value) {
    if (size_ == slots_.size()) Grow();
    slots_[(head_ + size_) & Mask()].emplace(std::move(value));
    ++size_;
  }
  T& front() { return *slots_[head_]; }
  void pop_front() {
    slots_[head_].reset();
    head_ = (head_ + 1) & Mask();
    --size_;
  }
  void swap(RingQueue& other) noexcept {
    slots_.swap(other.slots_);
    std::swap(head_, other.head_);
    std::swap(size_, other.size_);
  }

 private:
  size_t Mask() const { return slots_.size() - 1; }
  void Grow() {
    std::vector<std::optional<T>> bigger(slots_.empty() ? 4
                                                        : 2 * slots_.size());
    for (size_t i = 0; i < size_; ++i) {
      bigger[i] = std::move(slots_[(head_ + i) & Mask()]);
    }
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<std::optional<T>> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SYNC_RING_QUEUE_H_
