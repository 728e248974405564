// Executor: the loop that runs tasks and polls the reactor.
//
//   loop until the BlockOn task is complete:
//     run up to kEventInterval tasks from the run queue, FIFO
//     poll the reactor: timeout 0 if tasks are ready, else sleep in
//       epoll_wait until an fd, the next timer or another thread wakes us
//     fire due timers; move remotely woken tasks into the run queue
//     (paused clock with nothing to do: jump to the next timer)
//
// Polling the reactor every kEventInterval tasks (tokio's 61) keeps I/O
// flowing while the queue is never empty. Single-threaded: everything here
// runs on the thread inside Runtime::BlockOn, except Schedule(), which a
// Waker may call from any thread.
#ifndef WEFT_RUNTIME_SCHED_EXECUTOR_H_
#define WEFT_RUNTIME_SCHED_EXECUTOR_H_

#include <memory>
#include <utility>
#include <vector>

#include "runtime/blocking/blocking_pool.h"
#include "runtime/io/reactor.h"
#include "runtime/sched/owned_tasks.h"
#include "runtime/task/context.h"
#include "runtime/task/remote_queue.h"
#include "runtime/task/run_queue.h"
#include "runtime/task/schedule.h"
#include "runtime/task/task_header.h"
#include "runtime/time/time_source.h"
#include "runtime/time/timer_wheel.h"

namespace weft::internal {

class SignalRegistry;  // signal/signal.cc

class Executor {
 public:
  static constexpr int kEventInterval = 61;

  explicit Executor(BlockingPoolOptions blocking = {});
  ~Executor();  // Shutdown(), then the blocking pool, then the reactor.
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Room for one more task: call before building its cell (Bind cannot
  // fail then). Throws std::bad_alloc.
  void ReserveTask() { owned_.Reserve(); }

  // Takes a new cell (its state counts the run-queue and owned tasks' refs):
  // adds it to the owned tasks and queues it. After Shutdown(), cancels it.
  [[gnu::always_inline]] void Bind(TaskHeader* task) {
    task->park.resume_point = task->Root();  // the first run starts the body
    owned_.Insert(task);
    remote_->AddCell();
    if (shut_down_) [[unlikely]] {
      // Spawned while the runtime shuts down (from a destructor): it never
      // runs; its join handle reports cancelled.
      CancelQueued(task);
      return;
    }
    run_queue_.Push(task);
  }

  // Drives the loop until `task` completes.
  void RunUntilComplete(TaskHeader* task);

  // Cancels every task still alive (destroying its frame: destructors run,
  // join handles report cancelled) and drops every queued reference.
  void Shutdown();

  Reactor& reactor() { return reactor_; }
  RemoteQueue* remote() const { return remote_; }
  RunQueue& run_queue() { return run_queue_; }
  TimerWheel& timers() { return timers_; }
  TimeSource& time() { return time_; }
  // Starts no thread until the first job: a runtime that never blocks has
  // none.
  BlockingPool& blocking() { return *blocking_; }

  // The signal listeners' state for this runtime (signal/), which only
  // signal.cc knows the shape of: created by the first Signal::Listen with
  // its own deleter, destroyed after every task has been cancelled (the
  // signal pumps are tasks).
  using SignalRegistryPtr =
      std::unique_ptr<SignalRegistry, void (*)(SignalRegistry*)>;
  SignalRegistryPtr& signal_registry() { return signals_; }

 private:
  // Runs one popped task; consumes the reference the queue held. True when
  // the task ended (completed or cancelled): the only way the task
  // RunUntilComplete waits for can end, so the loop asks nothing else.
  bool RunTask(TaskHeader* task);
  // The task stays parked: to idle, or back in the queue if woken meanwhile.
  void Idle(TaskHeader* task);
  // The root frame finished: store its output, finish, drop the reference.
  [[gnu::noinline]] void Complete(TaskHeader* task);
  [[gnu::noinline]] void Cancel(TaskHeader* task);
  // Cancels a task that holds a run-queue reference (just popped, or bound
  // after shutdown) and drops that reference; true, as RunTask returns.
  [[gnu::noinline]] bool CancelQueued(TaskHeader* task);
  [[noreturn, gnu::noinline]] static void NotResumable();
  // The frame is gone and `done` is what the transition to complete
  // returned: publish completion to the join handle, or report a failure
  // nobody will join; then drop the `refs_held` references the caller held
  // and, if the task was woken while running, kNotified's, in one step.
  // Inlined into Complete and Cancel; the report of a failure is a call of
  // its own (docs/design-decisions.md, "Hot-path code generation").
  [[gnu::always_inline]] void Finish(TaskHeader* task,
                                     TaskState::Completed done,
                                     uint64_t refs_held);
  [[gnu::noinline]] static void ReportDetachedFailure(TaskHeader* task);
  // How long the reactor may sleep: 0 if tasks are ready, else until the
  // next timer (rounded up to whole ms, never early), else forever.
  int PollTimeoutMs() const;
  // One turn of the driver: poll I/O, fire due timers, drain remote wakes
  // and bind the tasks other threads spawned.
  void Drive();
  void BindSpawned();

  Reactor reactor_;
  RemoteQueue* remote_;  // counted reference
  RunQueue run_queue_;
  TimerWheel timers_;
  TimeSource time_;
  std::unique_ptr<BlockingPool> blocking_;
  SignalRegistryPtr signals_{nullptr, nullptr};
  OwnedTasks owned_;  // every task whose frame is alive
  bool shut_down_ = false;
};

// Makes `executor` this thread's current one (nullptr: none), with its
// remote queue, run queue and drivers (context.h), and returns the one
// before.
Executor* SwapCurrentExecutor(Executor* executor);

// The executor driving this thread. Throws std::logic_error naming
// `operation` when there is none (called outside Runtime::BlockOn).
inline Executor& CurrentExecutor(const char* operation) {
  return CurrentDriver(tls_context.executor, operation);
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SCHED_EXECUTOR_H_
