// The thread-local context: which runtime and which task this thread is in.
//
// BlockOn() installs its executor here for as long as it drives the loop,
// with the parts of it that layers below the executor need (the run queue,
// the reactor, the timers, the clock, the blocking pool: SwapCurrentExecutor
// in sched/executor.h); the executor installs the task it resumes, and
// resets the cooperative budget (coop.h), before each resume. Spawn(), leaf
// awaitables and wakers read it, through schedule.h; nothing else does.
//
// The pointers are to forward-declared types on purpose: a leaf in io/ or
// time/ finds its driver here without including the executor, so no layer
// below sched/ depends on it (docs/design-decisions.md, "Layers").
#ifndef WEFT_RUNTIME_TASK_CONTEXT_H_
#define WEFT_RUNTIME_TASK_CONTEXT_H_

#include <coroutine>

namespace weft::internal {

class BlockingPool;
class Executor;
class Reactor;
class RemoteQueue;
class RunQueue;
class TaskHeader;
struct ParkSite;
class TimeSource;
class TimerWheel;

struct Context {
  Executor* executor = nullptr;
  // `executor`'s remote queue (null with no executor), set with it by
  // SwapCurrentExecutor (executor.h): a task is this thread's to queue
  // locally exactly when its remote queue is this one, one compare.
  const RemoteQueue* remote = nullptr;
  // The executor's local run queue (Schedule, schedule.h) and its drivers.
  RunQueue* run_queue = nullptr;
  Reactor* reactor = nullptr;
  TimerWheel* timers = nullptr;
  TimeSource* clock = nullptr;
  BlockingPool* blocking = nullptr;
  TaskHeader* task = nullptr;
  // While a Select or Join steps one of its branches (branches.h): that
  // branch's park site, where its chain rests between steps; null
  // otherwise. Only Timeout asks (CurrentParkSite, leaf.h): it changes a
  // parked chain's resume point when its deadline passes.
  ParkSite* branch_site = nullptr;
  // The trampoline register: a coroutine that just suspended names here the
  // one to resume next (a child it awaits, or the parent it returns to).
  std::coroutine_handle<> next;
  // While DestroyChain (task.h) destroys a frame: that frame's awaited
  // child, which it destroyed just before, so the awaiter owning it skips
  // it (DestroyOwnedFrame).
  std::coroutine_handle<> destroyed_child;
  // Units of work the current task may still do without yielding (coop.h).
  int budget = 0;
};

// initial-exec: every access is one %fs-relative load instead of a call to
// __tls_get_addr (what -fPIC code gets by default). Valid because weft is
// linked into the program, not dlopen()ed.
inline thread_local constinit Context tls_context
    __attribute__((tls_model("initial-exec"))){};

[[noreturn]] void NoRuntime(const char* operation);
[[noreturn]] void NoTask(const char* operation) noexcept;

// The task being polled on this thread. With none (a weft awaitable awaited
// by a coroutine that no weft runtime runs), aborts with a message naming
// `operation`, as the executor does for the converse mistake
// (Executor::NotResumable). Not an exception: every leaf awaitable calls
// this, and nothing a leaf calls throws (docs/design-decisions.md,
// "Nothing in a leaf throws").
inline TaskHeader& CurrentTask(const char* operation) {
  if (tls_context.task == nullptr) [[unlikely]]
    NoTask(operation);
  return *tls_context.task;
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_CONTEXT_H_
