// Sleep and SleepUntil: park the task until a deadline.
//
//   co_await weft::Sleep(std::chrono::milliseconds(100));
//   co_await weft::SleepUntil(weft::time::Now() + std::chrono::seconds(1));
//
// The timer entry lives inside the awaitable (in the sleeping frame). While
// parked it is armed in the executor's TimerWheel; the executor wakes it once
// the deadline has passed, as it drives the drivers (Executor::Drive).
// Destroyed early (the task was cancelled), it disarms itself, so a cancelled
// sleep never wakes anything. Resolution: the deadline is never early, and late
// by at most the epoll_wait timeout rounding (under 1 ms) plus scheduling.
#ifndef WEFT_RUNTIME_TIME_SLEEP_H_
#define WEFT_RUNTIME_TIME_SLEEP_H_

#include <coroutine>

#include "runtime/task/task_header.h"
#include "runtime/time/timer_entry.h"

namespace weft {

namespace internal {
// The current runtime's clock (time_source.h); the steady clock outside one.
Instant Now();
}  // namespace internal

class [[nodiscard]] [[gnu::warn_unused]] SleepUntil
    : private internal::ReadyCheck {
 public:
  explicit SleepUntil(Instant deadline) { entry_.deadline = deadline; }
  // Only before it is awaited (Timeout and Select take awaitables by
  // value): an armed timer is linked where it is.
  SleepUntil(SleepUntil&& other) noexcept;
  SleepUntil(const SleepUntil&) = delete;
  SleepUntil& operator=(const SleepUntil&) = delete;
  ~SleepUntil();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  void await_resume() {}

 private:
  internal::TimerEntry entry_;
};

class [[nodiscard]] [[gnu::warn_unused]] Sleep : public SleepUntil {
 public:
  // The deadline is taken from the runtime's clock (paused in tests).
  explicit Sleep(Clock::duration d) : SleepUntil(internal::Now() + d) {}
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TIME_SLEEP_H_
