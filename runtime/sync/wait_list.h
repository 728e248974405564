// WaitList<T>: an intrusive FIFO of waiters, linked through nodes that
// live inside the waiters themselves (in the waiting tasks' frames), so
// waiting allocates nothing.
//
// A waiter derives from WaitList<T>::Node. Invariant: a node is in at most
// one list, and `linked()` says whether it is; whoever owns the list (and
// its lock, for a primitive used across threads) is the only one to link or
// unlink it. Remove is O(1), so a cancelled waiter unlinks itself from the
// middle of the queue.
#ifndef WEFT_RUNTIME_SYNC_WAIT_LIST_H_
#define WEFT_RUNTIME_SYNC_WAIT_LIST_H_

#include <cstddef>

namespace weft::internal {

template <class T>
class WaitList {
 public:
  class Node {
   public:
    bool linked() const { return linked_; }

   private:
    friend class WaitList;
    T* prev_ = nullptr;
    T* next_ = nullptr;
    bool linked_ = false;
  };

  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

  bool empty() const { return head_ == nullptr; }
  T* front() const { return head_; }
  // The waiter after `waiter` (linked here), or nullptr.
  T* next(const T* waiter) const {
    return static_cast<const Node&>(*waiter).next_;
  }

  void PushBack(T* waiter) {
    Node& node = *waiter;
    node.prev_ = tail_;
    node.next_ = nullptr;
    node.linked_ = true;
    if (tail_ != nullptr) {
      static_cast<Node&>(*tail_).next_ = waiter;
    } else {
      head_ = waiter;
    }
    tail_ = waiter;
  }

  // `waiter` must be linked in this list.
  void Remove(T* waiter) {
    Node& node = *waiter;
    if (node.prev_ != nullptr) {
      static_cast<Node&>(*node.prev_).next_ = node.next_;
    } else {
      head_ = node.next_;
    }
    if (node.next_ != nullptr) {
      static_cast<Node&>(*node.next_).prev_ = node.prev_;
    } else {
      tail_ = node.prev_;
    }
    node.prev_ = node.next_ = nullptr;
    node.linked_ = false;
  }

  T* PopFront() {
    T* waiter = head_;
    if (waiter != nullptr) Remove(waiter);
    return waiter;
  }

 private:
  T* head_ = nullptr;
  T* tail_ = nullptr;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SYNC_WAIT_LIST_H_
