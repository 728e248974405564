// YieldNow(): let every other ready task run before this one goes on.
//
// The task marks itself yielded (ParkedTask::Yield, leaf.h) and suspends; the
// executor puts it at the back of the run queue, behind everything already
// queued, still running and without a state transition (Executor::RunTask).
#ifndef WEFT_RUNTIME_TASK_YIELD_NOW_H_
#define WEFT_RUNTIME_TASK_YIELD_NOW_H_

#include <coroutine>

#include "runtime/task/leaf.h"

namespace weft {

class [[nodiscard]] [[gnu::warn_unused]] YieldNow {
 public:
  bool await_ready() noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    internal::ParkedTask(self, "YieldNow").Yield();
  }
  void await_resume() noexcept {}
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_YIELD_NOW_H_
