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
#ifndef WEFT_RUNTIME_EXECUTOR_H_
#define WEFT_RUNTIME_EXECUTOR_H_

#include <memory>
#include <utility>
#include <vector>

#include "runtime/blocking_pool.h"
#include "runtime/context.h"
#include "runtime/owned_tasks.h"
#include "runtime/reactor.h"
#include "runtime/remote_queue.h"
#include "runtime/run_queue.h"
#include "runtime/task_header.h"
#include "runtime/time_source.h"
#include "runtime/timer_wheel.h"

namespace weft::internal {

// State a feature keeps per runtime (the signal registry, say), created on
// first use and destroyed after every task has been cancelled.
class ExecutorExtension {
 public:
  virtual ~ExecutorExtension() = default;
};

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
    task->resume_point = task->Root();  // the first run starts the body
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
  // Created on first use: a runtime that never blocks starts no threads.
  BlockingPool& blocking();

  // The extension of type E, created on first use.
  template <class E>
  E& Extension() {
    for (auto& e : extensions_) {
      if (auto* found = dynamic_cast<E*>(e.get())) return *found;
    }
    extensions_.push_back(std::make_unique<E>());
    return static_cast<E&>(*extensions_.back());
  }
  // Work in flight outside the runtime thread (blocking jobs): while any is,
  // a paused clock does not auto-advance, since their results are still to
  // come.
  void AddExternalWork(int delta) { external_work_ += delta; }

 private:
  // Runs one popped task; consumes the reference the queue held. True when
  // the task ended (completed or cancelled): the only way the task
  // RunUntilComplete waits for can end, so the loop asks nothing else.
  bool RunTask(TaskHeader* task);
  // The task stays parked: to idle, or back in the queue if woken meanwhile.
  void Park(TaskHeader* task);
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
  // its own, so that Finish keeps no locals (no stack-protector canary).
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
  int external_work_ = 0;
  BlockingPoolOptions blocking_options_;
  std::unique_ptr<BlockingPool> blocking_;
  std::vector<std::unique_ptr<ExecutorExtension>> extensions_;
  OwnedTasks owned_;  // every task whose frame is alive
  bool shut_down_ = false;
};

// Queues a woken task that carries a queue reference: onto the local run
// queue when called on its runtime's thread, else through its remote queue.
// (The remote queue, not the executor, identifies the runtime: a task whose
// runtime is gone keeps its remote queue alive, so no new runtime can share
// its address.)
// Every task has a remote queue, so with no executor on this thread
// (tls_context.remote null) a wake always goes through it.
inline void Schedule(TaskHeader* task) {
  if (task->remote == tls_context.remote) [[likely]] {
    tls_context.executor->run_queue().Push(task);
  } else {
    task->remote->Push(task);
  }
}

// Makes `executor` this thread's current one (nullptr: none), with its
// remote queue, and returns the one before.
inline Executor* SwapCurrentExecutor(Executor* executor) {
  tls_context.remote = executor != nullptr ? executor->remote() : nullptr;
  return std::exchange(tls_context.executor, executor);
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_EXECUTOR_H_
