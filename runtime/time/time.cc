#include "runtime/time/time.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "runtime/task/leaf.h"
#include "runtime/task/schedule.h"
#include "runtime/task/yield_now.h"
#include "runtime/time/time_source.h"
#include "runtime/time/timeout.h"
#include "runtime/time/timer_wheel.h"

namespace weft {

const char* Elapsed::what() const noexcept { return "deadline has elapsed"; }

absl::Status Elapsed::ToStatus() const {
  if (!after_) return absl::DeadlineExceededError(what());
  return absl::DeadlineExceededError(absl::StrCat(
      "timed out after ",
      std::chrono::duration_cast<std::chrono::milliseconds>(*after_).count(),
      " ms"));
}

namespace internal {

// Transitions of DeadlineScope (timeout.h), all on the runtime thread:
//
//   armed ──fire, the task running now──► armed (fires next turn)
//   armed ──fire, the task queued after a yield, or woken with no ready
//           check to ask──► last poll
//   armed ──fire, parked in a leaf with a ready check──► deciding
//   armed ──fire, parked and not woken, no check──► expired
//   deciding ──popped, the leaf's check says ready──► last poll
//   deciding ──popped, not ready──► expired
//   last poll ──fire──► expired
//   armed / last poll ──the inner frame returns──► finished
//
// Invariant: once expired, the inner chain is never resumed again: the
// task's resume point is Timeout's frame, and the leaf's ready check no
// longer stands between it and the executor.
void DeadlineScope::await_suspend(std::coroutine_handle<> self) {
  task_ = &CurrentTask("Timeout");
  site_ = &CurrentParkSite("Timeout");
  self_ = self;
  entry_.on_fire = &DeadlineScope::OnFire;
  entry_.on_fire_arg = this;
  Arm();
  // Start the inner frame now, inside this task: the trampoline resumes
  // it, and its final awaiter resumes us.
  PromiseOf(inner_.get()).set_continuation(self);
  tls_context.next = inner_.get();
}

void DeadlineScope::Arm() {
  entry_.waker = WakerFor(*task_);
  CurrentTimers("Timeout").Insert(&entry_);
}

bool DeadlineScope::OnFire(void* arg) {
  auto* scope = static_cast<DeadlineScope*>(arg);
  TaskHeader* task = scope->task_;
  // The task running right now (it called time::Advance) will set its own
  // resume point when it parks, which would undo a redirect: fire on the
  // next turn instead. (Not "kRunning is set": a yielded task waiting in
  // the run queue has kRunning too.)
  if (tls_context.task == task) return false;
  if (scope->last_poll_) {
    scope->Expire();
    return true;
  }
  const ReadyCheck* check = scope->site_->ready_check;
  if (check == YieldMark() ||
      (check == nullptr && (task->state.Load() & TaskState::kNotified) != 0)) {
    // Queued already, and the inner frame will run first: give it that
    // last poll, and fire again next turn.
    scope->last_poll_ = true;
    return false;
  }
  if (check == nullptr) {
    scope->Expire();  // parked and nobody woke it: the deadline wins
    return true;
  }
  // Ask the leaf when the task is popped, after everything this loop turn
  // wakes: its event may come from a timer that fires after this one.
  scope->inner_check_ = check;
  scope->site_->ready_check = scope;
  scope->ready = &DeadlineScope::Decide;
  return true;  // the timer wakes the task
}

// The executor asks this (as the task's ready check) on popping the task;
// it answers yes either way, having decided where the task resumes. A
// ready check is the scope's own object, hence the const_cast.
bool DeadlineScope::Decide(const ReadyCheck* check) {
  auto* scope =
      const_cast<DeadlineScope*>(static_cast<const DeadlineScope*>(check));
  const ReadyCheck* leaf = std::exchange(scope->inner_check_, nullptr);
  if (leaf->ready(leaf)) {
    scope->last_poll_ = true;
    scope->entry_.waker = WakerFor(*scope->task_);
    CurrentTimers("Timeout").InsertNextTurn(&scope->entry_);
  } else {
    scope->Expire();
  }
  return true;
}

void DeadlineScope::Expire() {
  expired_ = true;
  inner_.parked_at = site_->resume_point;
  site_->resume_point = self_;
  // A yielded task is in the run queue already and keeps its mark; a
  // leaf's ready check no longer applies.
  if (site_->ready_check != YieldMark()) site_->ready_check = nullptr;
}

void DeadlineScope::Disarm() {
  if (entry_.armed()) CurrentTimers("~Timeout").Remove(&entry_);
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

void Pause() { internal::CurrentClock("time::Pause").Pause(); }

void Resume() { internal::CurrentClock("time::Resume").Resume(); }

Task<> Advance(Clock::duration d) {
  internal::TimeSource& clock = internal::CurrentClock("time::Advance");
  if (!clock.paused()) {
    throw std::logic_error("weft::time::Advance needs a paused clock");
  }
  clock.AdvanceTo(clock.Now() + d);
  internal::CurrentTimers("time::Advance").FireDue(clock.Now());
  co_await YieldNow();  // the woken tasks are queued ahead of us
}

}  // namespace time
}  // namespace weft
