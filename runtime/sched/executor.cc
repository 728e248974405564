#include "runtime/sched/executor.h"

#include <cstdio>
#include <cstdlib>
#include <new>
#include <utility>

#include "runtime/task/context.h"
#include "runtime/task/coop.h"
#include "runtime/task/join_error.h"
#include "runtime/task/task_cell.h"

namespace weft::internal {

Executor::Executor(BlockingPoolOptions blocking)
    : remote_(new RemoteQueue(reactor_.event_fd(), &Reactor::Signal)),
      timers_(Clock::now()),
      time_(timers_.origin()),
      blocking_(std::make_unique<BlockingPool>(blocking)) {}

Executor::~Executor() {
  Shutdown();
  // Jobs not started are dropped; running ones are waited for (bounded).
  // Their tasks are already cancelled, so their wakes find nothing to do.
  Executor* const outer = SwapCurrentExecutor(this);
  blocking_.reset();
  signals_.reset();  // their pump tasks are cancelled: nothing refers to them
  SwapCurrentExecutor(outer);
  remote_->ReleaseRuntime();
}

Executor* SwapCurrentExecutor(Executor* executor) {
  Context& c = tls_context;
  const bool on = executor != nullptr;
  c.remote = on ? executor->remote() : nullptr;
  c.run_queue = on ? &executor->run_queue() : nullptr;
  c.reactor = on ? &executor->reactor() : nullptr;
  c.timers = on ? &executor->timers() : nullptr;
  c.clock = on ? &executor->time() : nullptr;
  c.blocking = on ? &executor->blocking() : nullptr;
  return std::exchange(c.executor, executor);
}

// The hot path: RunTask and Idle are inlined into this loop; the rare paths
// (completion, cancellation) are calls
// (docs/design-decisions.md, "Hot-path code generation").
void Executor::RunUntilComplete(TaskHeader* main) {
  for (;;) {
    for (int i = 0; i < kEventInterval; ++i) {
      TaskHeader* task = run_queue_.Pop();
      if (task == nullptr) break;
      // Checked only when a task ended: RunTask returns true only then.
      if (RunTask(task) && task == main) break;
    }
    // RunTask leaves its task current; nothing between two runs asks which
    // task is current, so it is cleared once per batch, not once per run.
    tls_context.task = nullptr;
    if (main->state.IsComplete()) return;
    Drive();
  }
}

void Executor::Drive() {
  const int events = reactor_.Poll(PollTimeoutMs());
  remote_->Drain(run_queue_);
  if (remote_->HasSpawned()) [[unlikely]]
    BindSpawned();
  if (timers_.empty()) return;
  if (time_.paused() && events == 0 && run_queue_.empty() &&
      blocking_->pending_jobs() == 0 && !timers_.HasNextTurn()) {
    // Paused and idle: nothing but a timer can happen next; go there.
    time_.AdvanceTo(*timers_.NextDeadline());
  }
  timers_.FireDue(time_.Now());
}

void Executor::BindSpawned() {
  RunQueue spawned;
  remote_->DrainSpawned(spawned);
  while (TaskHeader* task = spawned.Pop()) {
    try {
      ReserveTask();
    } catch (const std::bad_alloc&) {
      remote_->CancelUnbound(task);  // no room to own it: it never runs
      continue;
    }
    Bind(task);
  }
}

int Executor::PollTimeoutMs() const {
  if (!run_queue_.empty() || timers_.HasNextTurn()) return 0;
  const std::optional<Instant> next = timers_.NextDeadline();
  if (!next) return Reactor::kForever;
  // A paused clock does not move while we sleep: only look for I/O.
  // (Blocking jobs in flight: wait for them, they write the eventfd.)
  if (time_.paused())
    return blocking_->pending_jobs() > 0 ? Reactor::kForever : 0;
  const auto wait = *next - time_.Now();
  if (wait <= Clock::duration::zero()) return 0;
  // Round up: waking early would only mean sleeping again.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return ms > 1'000'000 ? 1'000'000 : static_cast<int>(ms);
}

// A yielded task waits in the run queue still kRunning: the executor kept
// its run reference and made no transition (ParkedTask::Yield, leaf.h).
// Meanwhile a wake finds kRunning and only sets kNotified (the task runs once
// more after it next parks), and an abort sets kCancelled, which is checked
// here with a plain load before resuming.
[[gnu::always_inline]] inline bool Executor::RunTask(TaskHeader* task) {
  // No ready check is the common case, tested first; the other two
  // branches repeat its transition rather than share it, to keep it first.
  if (task->park.ready_check == nullptr) [[likely]] {
    if (task->state.TransitionToRunning() == TaskState::ToRunning::kCancelled)
        [[unlikely]] {
      return CancelQueued(task);
    }
  } else if (task->park.ready_check == YieldMark()) {
    task->park.ready_check = nullptr;
    if (task->state.IsCancelled()) [[unlikely]]
      return CancelQueued(task);
  } else {
    if (task->state.TransitionToRunning() == TaskState::ToRunning::kCancelled)
      return CancelQueued(task);
    if (!task->park.ready_check->ready(task->park.ready_check)) {
      Idle(task);  // a spurious wake: the leaf is still waiting
      return false;
    }
    task->park.ready_check = nullptr;
  }
  // Bind() set park.resume_point to the root frame for the first run; a leaf
  // that parks the task sets it again (ParkedTask in leaf.h).
  std::coroutine_handle<> next = task->park.resume_point;
  task->park.resume_point = {};
  tls_context.task = task;
  tls_context.budget = coop::kBudget;
  // The trampoline (task.h): nested awaits and returns come back here and
  // name the next coroutine, so the C++ stack stays flat at any depth.
  // Invariant: Context::next is empty whenever a coroutine is resumed here,
  // so a coroutine that suspends without naming one leaves it empty.
  for (;;) {
    next.resume();
    next = tls_context.next;
    if (!next) break;
    tls_context.next = {};
  }

  // A leaf that parks the task records where to resume it, and suspends;
  // the root finishing records nothing. So no resume point means finished
  // (or parked in something that is not a weft leaf: unresumable).
  if (!task->park.resume_point) [[unlikely]] {
    if (!task->Root().done()) NotResumable();
    Complete(task);
    return true;
  }
  if (kCheckTransitions && task->Root().done()) NotResumable();
  if (task->park.ready_check == YieldMark()) {
    run_queue_.Push(task);  // still kRunning, with the run's reference
    return false;
  }
  Idle(task);
  return false;
}

bool Executor::CancelQueued(TaskHeader* task) {
  Cancel(task);
  task->Release();  // the run-queue reference
  return true;
}

[[gnu::always_inline]] inline void Executor::Idle(TaskHeader* task) {
  // The transition dropped the run's reference; woken while running, the
  // task goes back in the queue with kNotified's.
  if (task->state.TransitionToIdle() == TaskState::ToIdle::kOkNotified) {
    run_queue_.Push(task);
  }
}

inline void Executor::Finish(TaskHeader* task, TaskState::Completed done,
                             uint64_t refs_held) {
  owned_.Remove(task);
  // Published before kComplete: the runtime's to take (join_handle.h).
  if (done.join_waker) std::move(task->join_waker).Wake();
  if (!done.join_interest) ReportDetachedFailure(task);
  if (task->state.RefDec(refs_held + (done.woken ? 1 : 0))) task->Dealloc();
}

void Executor::ReportDetachedFailure(TaskHeader* task) {
  // Nobody will join: drop the output. If the task failed, nobody will
  // ever see the exception either; say so and keep serving the other tasks.
  if (std::exception_ptr failure = task->DropOutput()) {
    std::fprintf(stderr, "weft: detached %s\n",
                 JoinError::Failed(failure).ToString().c_str());
  }
}

void Executor::Complete(TaskHeader* task) {
  task->StoreOutput();
  // Held: the owned tasks' reference and the run's.
  Finish(task, task->state.TransitionToCompleteFromRunning(), 2);
}

void Executor::NotResumable() {
  std::fprintf(stderr,
               "weft: a task suspended in an awaitable that is not weft's "
               "(it did not record where to resume the task)\n");
  std::abort();
}

void Executor::Cancel(TaskHeader* task) {
  // Destroying the frame runs the destructors of every awaiting frame and
  // leaf; they may wake other tasks, which only queues them.
  task->DestroyFrame();
  task->StoreCancelled();
  // Held: the owned tasks' reference (a run's, if any, is the caller's).
  Finish(task, task->state.TransitionToComplete(), 1);
}

void Executor::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // Wakes during shutdown must land in our local queue, not a remote one.
  Executor* const outer = SwapCurrentExecutor(this);
  // Each Cancel may destroy frames that hold JoinHandles or wake other
  // tasks, but never adds a task to the owned tasks (Bind cancels at once).
  while (!owned_.empty()) Cancel(owned_.Last());
  RunQueue never_bound;
  remote_->CloseSpawned(never_bound);
  while (TaskHeader* task = never_bound.Pop()) remote_->CancelUnbound(task);
  RunQueue leftover;
  remote_->Close(leftover);
  leftover.Append(run_queue_);
  while (TaskHeader* task = leftover.Pop()) task->Release();
  SwapCurrentExecutor(outer);
}

}  // namespace weft::internal
