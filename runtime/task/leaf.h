// The three moves every leaf awaitable makes when it cannot finish at once.
//
//   Park(self)       record `self` as where the executor resumes the task
//                    (TaskHeader::resume_point) and return the task;
//   WakerFor(task)   a new Waker to store where the event will come from;
//   YieldTo(task)    mark the running task yielded, so the executor puts it
//                    at the back of the run queue once it has parked.
//
// A leaf that suspends without Park() would leave its task unresumable; the
// executor checks for that and aborts with a message.
#ifndef WEFT_RUNTIME_TASK_LEAF_H_
#define WEFT_RUNTIME_TASK_LEAF_H_

#include <coroutine>

#include "runtime/task/context.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::internal {

inline TaskHeader& Park(std::coroutine_handle<> self, const char* what) {
  TaskHeader& task = CurrentTask(what);
  task.resume_point = self;
  return task;
}

inline Waker WakerFor(TaskHeader& task) {
  task.state.RefInc();
  return Waker::Adopt(&task);
}

inline void YieldTo(TaskHeader& task) {
  // Only the runtime thread reads this mark, so it is a plain store, and
  // the executor requeues the task without any state transition: it stays
  // kRunning while it waits its turn (Executor::RunTask).
  task.ready_check = Yielded();
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_LEAF_H_
