// How a leaf awaitable parks its task: the steps every one of them takes
// (AsyncFd readiness, Sleep, JoinHandle, Notify, SpawnBlocking, PollFn,
// YieldNow, and the channels and locks through ListAwaiter), written once.
//
//   bool await_ready() { return FinishNow(happened()); }
//   void await_suspend(std::coroutine_handle<> self) {
//     ParkedTask parked(self, "Sleep");     // where the executor resumes it
//     if (parked.YieldIf(happened())) return;   // only the budget said no
//     waker_ = parked.NewWaker();           // where the event will come from
//     parked.WaitFor(this);                 // optional: ignore stray wakes
//   }
//
// FinishNow spends a unit of the cooperative budget (coop.h) when the event
// has happened already; with none left, the leaf suspends anyway, and
// YieldIf sends the task to the back of the run queue instead of waiting.
// WaitFor names a ReadyCheck (task_header.h) that the executor asks before
// resuming the task, for leaves that cannot simply retry (a join handle, a
// Notify waiter, a timer). A leaf that suspends without a ParkedTask leaves
// its task unresumable; the executor checks for that and aborts with a
// message. Users write their own awaitables with PollFn (poll_fn.h), which
// is built on this.
#ifndef WEFT_RUNTIME_TASK_LEAF_H_
#define WEFT_RUNTIME_TASK_LEAF_H_

#include <coroutine>
#include <cstdio>
#include <cstdlib>

#include "runtime/task/context.h"
#include "runtime/task/coop.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::internal {

// await_ready's answer: finish without suspending, if the event `happened`
// and the budget allows.
inline bool FinishNow(bool happened) { return happened && coop::TryConsume(); }

// Awaiters are movable until awaited (Timeout and Select take them by
// value), never after: a parked one is linked where its event comes from.
// Their move constructors call this when moved too late.
[[noreturn]] inline void AwaiterMovedAfterAwait(const char* what) noexcept {
  std::fprintf(stderr, "weft: %s moved after it was awaited\n", what);
  std::abort();
}

// Where the chain running now rests while parked: the branch of a Select
// or Join being stepped (branches.h), else the task's own site.
inline ParkSite& CurrentParkSite(const char* operation) {
  if (tls_context.branch_site != nullptr) return *tls_context.branch_site;
  return CurrentTask(operation).park;
}

// A new Waker (one reference) for `task`.
inline Waker WakerFor(TaskHeader& task) {
  task.state.RefInc();
  return Waker::Adopt(&task);
}

// The current task, parked at a leaf: constructed in await_suspend.
class ParkedTask {
 public:
  // Records `self` as where the executor resumes the task. `leaf` names
  // the awaitable in the message when no weft task is running.
  ParkedTask(std::coroutine_handle<> self, const char* leaf)
      : task_(CurrentTask(leaf)) {
    task_.park.resume_point = self;
  }
  ParkedTask(const ParkedTask&) = delete;
  ParkedTask& operator=(const ParkedTask&) = delete;

  TaskHeader& task() const { return task_; }

  // If `happened` (the event is there, only the budget is spent): the task
  // goes to the back of the run queue instead of waiting. Returns
  // `happened`, so that the leaf stops there.
  bool YieldIf(bool happened) {
    if (happened) Yield();
    return happened;
  }
  // Back of the run queue, unconditionally (YieldNow). Only the runtime
  // thread reads the mark, so it is a plain store; the executor requeues
  // the task without a state transition: it stays kRunning while it waits
  // its turn (Executor::RunTask).
  void Yield() { task_.park.ready_check = YieldMark(); }

  // A Waker for this task, to store where the event will come from.
  Waker NewWaker() const { return WakerFor(task_); }

  // The executor resumes the task only once `check` says so; a wake before
  // that leaves it parked.
  void WaitFor(const ReadyCheck* check) { task_.park.ready_check = check; }

 private:
  TaskHeader& task_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_LEAF_H_
