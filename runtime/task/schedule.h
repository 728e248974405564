// The scheduler as the layers below it see it.
//
// A waker, a join handle or a leaf awaitable needs four things from the
// runtime: queue a woken task (Schedule), the task being polled
// (CurrentTask, context.h), and the driver its event comes from (the
// reactor, the timers and clock, the blocking pool). This header gives
// exactly those, so nothing in task/, io/, time/ or sync/ includes the
// executor (sched/executor.h), which sits on top and installs them.
#ifndef WEFT_RUNTIME_TASK_SCHEDULE_H_
#define WEFT_RUNTIME_TASK_SCHEDULE_H_

#include "runtime/task/context.h"
#include "runtime/task/remote_queue.h"
#include "runtime/task/run_queue.h"
#include "runtime/task/task_header.h"

namespace weft::internal {

// Queues a woken task that carries a queue reference: onto the local run
// queue when called on its runtime's thread, else through its remote queue.
// (The remote queue, not the executor, identifies the runtime: a task whose
// runtime is gone keeps its remote queue alive, so no new runtime can share
// its address.) Every task has a remote queue, so with no executor on this
// thread (tls_context.remote null) a wake always goes through it.
inline void Schedule(TaskHeader* task) {
  if (task->remote == tls_context.remote) [[likely]] {
    tls_context.run_queue->Push(task);
  } else {
    task->remote->Push(task);
  }
}

// The current runtime's drivers. Each throws std::logic_error naming
// `operation` when no runtime drives this thread (called outside
// Runtime::BlockOn).
template <class Driver>
inline Driver& CurrentDriver(Driver* installed, const char* operation) {
  if (installed == nullptr) [[unlikely]]
    NoRuntime(operation);
  return *installed;
}
inline Reactor& CurrentReactor(const char* operation) {
  return CurrentDriver(tls_context.reactor, operation);
}
inline TimerWheel& CurrentTimers(const char* operation) {
  return CurrentDriver(tls_context.timers, operation);
}
inline TimeSource& CurrentClock(const char* operation) {
  return CurrentDriver(tls_context.clock, operation);
}
inline BlockingPool& CurrentBlockingPool(const char* operation) {
  return CurrentDriver(tls_context.blocking, operation);
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_SCHEDULE_H_
