#include "runtime/time/sleep.h"

#include "runtime/task/leaf.h"
#include "runtime/task/schedule.h"
#include "runtime/time/time_source.h"
#include "runtime/time/timer_wheel.h"

namespace weft {

Instant internal::Now() {
  TimeSource* clock = tls_context.clock;
  return clock != nullptr ? clock->Now() : Clock::now();
}

bool SleepUntil::await_ready() {
  return internal::FinishNow(entry_.deadline <= internal::Now());
}

void SleepUntil::await_suspend(std::coroutine_handle<> self) {
  internal::ParkedTask parked(self, "Sleep");
  if (parked.YieldIf(entry_.deadline <= internal::Now())) return;
  entry_.waker = parked.NewWaker();
  internal::CurrentTimers("Sleep").Insert(&entry_);
  // Resume only once fired (disarmed): a stray wake leaves it parked.
  ready = [](const internal::ReadyCheck* self) {
    return !static_cast<const SleepUntil*>(self)->entry_.armed();
  };
  parked.WaitFor(this);
}

SleepUntil::SleepUntil(SleepUntil&& other) noexcept {
  if (other.entry_.armed()) internal::AwaiterMovedAfterAwait("Sleep");
  entry_.deadline = other.entry_.deadline;
}

SleepUntil::~SleepUntil() {
  if (entry_.armed()) {
    internal::CurrentTimers("~Sleep").Remove(&entry_);
  }
}

}  // namespace weft
