// RunQueue: the executor's FIFO of tasks ready to run.
//
// Intrusive: the link lives in the task (TaskHeader::queue_next), so pushing
// never allocates. A task is in at most one queue at a time because only the
// waker that sets kNotified pushes it (task_state.h). Runtime thread only.
#ifndef WEFT_RUNTIME_TASK_RUN_QUEUE_H_
#define WEFT_RUNTIME_TASK_RUN_QUEUE_H_

#include "runtime/task/task_header.h"

namespace weft::internal {

class RunQueue {
 public:
  RunQueue() = default;
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  bool empty() const { return head_ == nullptr; }

  // No branch: `tail_` always points at the link the next task goes in
  // (head_ when empty, else the last task's queue_next).
  void Push(TaskHeader* task) {
    task->queue_next = nullptr;
    *tail_ = task;
    tail_ = &task->queue_next;
  }

  // Appends all of `other`, leaving it empty.
  void Append(RunQueue& other) {
    if (other.head_ == nullptr) return;
    *tail_ = other.head_;
    tail_ = other.tail_;
    other.head_ = nullptr;
    other.tail_ = &other.head_;
  }

  TaskHeader* Pop() {
    TaskHeader* task = head_;
    if (task == nullptr) return nullptr;
    head_ = task->queue_next;
    if (head_ == nullptr) tail_ = &head_;
    return task;  // its stale queue_next is overwritten by the next Push
  }

 private:
  // Invariant: tail_ == &head_ when empty, else &last->queue_next, and the
  // last task's queue_next is nullptr. (So a RunQueue cannot be moved.)
  TaskHeader* head_ = nullptr;
  TaskHeader** tail_ = &head_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_RUN_QUEUE_H_
