// RunQueue: the executor's FIFO of tasks ready to run.
//
// Intrusive: the link lives in the task (TaskHeader::queue_next), so pushing
// never allocates. A task is in at most one queue at a time because only the
// waker that sets kNotified pushes it (task_state.h). Runtime thread only.
#ifndef WEFT_RUNTIME_RUN_QUEUE_H_
#define WEFT_RUNTIME_RUN_QUEUE_H_

#include "runtime/task_header.h"

namespace weft::internal {

class RunQueue {
 public:
  RunQueue() = default;
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  bool empty() const { return head_ == nullptr; }

  void Push(TaskHeader* task) {
    task->queue_next = nullptr;
    if (tail_ == nullptr) {
      head_ = task;
    } else {
      tail_->queue_next = task;
    }
    tail_ = task;
  }

  // Appends all of `other`, leaving it empty.
  void Append(RunQueue& other) {
    if (other.head_ == nullptr) return;
    if (tail_ == nullptr) {
      head_ = other.head_;
    } else {
      tail_->queue_next = other.head_;
    }
    tail_ = other.tail_;
    other.head_ = other.tail_ = nullptr;
  }

  TaskHeader* Pop() {
    TaskHeader* task = head_;
    if (task == nullptr) return nullptr;
    head_ = task->queue_next;
    if (head_ == nullptr) tail_ = nullptr;
    return task;  // its stale queue_next is overwritten by the next Push
  }

 private:
  TaskHeader* head_ = nullptr;
  TaskHeader* tail_ = nullptr;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_RUN_QUEUE_H_
