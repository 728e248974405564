#include "runtime/time.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "runtime/executor.h"
#include "runtime/yield_now.h"

namespace weft {
namespace internal {

absl::Status DeadlineExceeded(Clock::duration d) {
  return absl::DeadlineExceededError(absl::StrCat(
      "timed out after ",
      std::chrono::duration_cast<std::chrono::milliseconds>(d).count(), " ms"));
}

void DeadlineScope::await_suspend(std::coroutine_handle<> self) {
  TaskHeader& task = CurrentTask("Timeout");
  task_ = &task;
  self_ = self;
  entry_.waker = WakerFor(task);
  entry_.on_fire = &DeadlineScope::OnFire;
  entry_.on_fire_arg = this;
  CurrentExecutor("Timeout").timers().Insert(&entry_);
  // Start the inner task now, inside this task: the trampoline resumes it,
  // and its final awaiter resumes us.
  inner_promise_.set_continuation(self);
  tls_context.next = inner_;
}

bool DeadlineScope::OnFire(void* arg) {
  auto* scope = static_cast<DeadlineScope*>(arg);
  TaskHeader* task = scope->task_;
  // The task running right now (it called time::Advance) will set its own
  // resume point when it parks, which would undo the redirect: fire on the
  // next turn instead. (Not "kRunning is set": a yielded task waiting in
  // the run queue has kRunning too, and must be redirected there.)
  if (tls_context.task == task) return false;
  scope->expired_ = true;
  task->resume_point = scope->self_;
  // A yielded task is in the run queue already and keeps its mark; any
  // other leaf's ready check no longer applies.
  if (task->ready_check != Yielded()) task->ready_check = nullptr;
  return true;  // the timer now wakes the task
}

void DeadlineScope::Disarm() {
  if (entry_.armed()) CurrentExecutor("~Timeout").timers().Remove(&entry_);
  entry_.waker.Reset();
}

}  // namespace internal

Interval::Interval(Clock::duration period, MissedTicks policy)
    : Interval(internal::Now(), period, policy) {}

Interval::Interval(Instant start, Clock::duration period, MissedTicks policy)
    : next_(start), period_(period), policy_(policy) {
  if (period_ <= Clock::duration::zero()) {
    throw std::invalid_argument("weft::Interval: period must be positive");
  }
}

Task<Instant> Interval::Tick() {
  const Instant scheduled = next_;
  co_await SleepUntil(scheduled);
  const Instant now = internal::Now();
  switch (policy_) {
    case MissedTicks::kBurst:
      next_ = scheduled + period_;
      break;
    case MissedTicks::kDelay:
      next_ = now + period_;
      break;
    case MissedTicks::kSkip:
      next_ = scheduled + period_;
      if (next_ <= now) next_ += period_ * ((now - next_) / period_ + 1);
      break;
  }
  co_return scheduled;
}

namespace time {

Instant Now() { return internal::Now(); }

void Pause() { internal::CurrentExecutor("time::Pause").time().Pause(); }

void Resume() { internal::CurrentExecutor("time::Resume").time().Resume(); }

Task<> Advance(Clock::duration d) {
  internal::Executor& executor = internal::CurrentExecutor("time::Advance");
  if (!executor.time().paused()) {
    throw std::logic_error("weft::time::Advance needs a paused clock");
  }
  executor.time().AdvanceTo(executor.time().Now() + d);
  executor.timers().FireDue(executor.time().Now());
  co_await YieldNow();  // the woken tasks are queued ahead of us
}

}  // namespace time
}  // namespace weft
