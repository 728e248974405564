// OwnedTasks: every task of a runtime whose frame is still alive.
//
// The runtime must find these at shutdown, when it cancels them (their
// destructors run, their join handles report cancelled): a parked task is
// otherwise reachable only through wakers held who knows where. tokio keeps
// the same list (runtime/task/list.rs) as an intrusive linked list; weft
// keeps an array, so a cell carries a 4-byte index instead of two
// pointers:
//
//   Insert: the task goes at the end, and records its index.
//   Remove: the last task moves into its gap, and records its new index.
//
// Invariant: for 0 <= i < size, slots_[i]->owned_index == i. Order means
// nothing. The array grows with realloc, which moves a large array's pages
// (mremap) rather than copying them. Runtime thread only.
#ifndef WEFT_RUNTIME_SCHED_OWNED_TASKS_H_
#define WEFT_RUNTIME_SCHED_OWNED_TASKS_H_

#include <cstdint>

#include "runtime/task/task_header.h"

namespace weft::internal {

class OwnedTasks {
 public:
  OwnedTasks() = default;
  OwnedTasks(const OwnedTasks&) = delete;
  OwnedTasks& operator=(const OwnedTasks&) = delete;
  ~OwnedTasks();

  bool empty() const { return size_ == 0; }
  TaskHeader* Last() const { return slots_[size_ - 1]; }

  // Makes room for one more task; throws std::bad_alloc if the array
  // cannot grow. Spawn calls it before it builds the cell, so that a cell,
  // once built, is always owned.
  void Reserve() {
    if (size_ == capacity_) [[unlikely]]
      Grow();
  }

  // Only after Reserve(): never fails.
  void Insert(TaskHeader* task) {
    task->owned_index = size_;
    slots_[size_++] = task;
  }

  void Remove(TaskHeader* task) {
    TaskHeader* const last = slots_[--size_];
    slots_[task->owned_index] = last;
    last->owned_index = task->owned_index;
  }

 private:
  void Grow();

  TaskHeader** slots_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SCHED_OWNED_TASKS_H_
