// Time beyond Sleep: Timeout, Interval, and the paused test clock.
//
//   TimeoutResult<int> r = co_await Timeout(100ms, Work(1));
//   Interval ticks(1s);  for (;;) { co_await ticks.Tick(); Tick(); }
//   time::Pause();  co_await time::Advance(1h);   // tests: no real waiting
#ifndef WEFT_RUNTIME_TIME_TIME_H_
#define WEFT_RUNTIME_TIME_TIME_H_

#include <chrono>

#include "runtime/task/task.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"
#include "runtime/time/timer_entry.h"

namespace weft {

// Ticks every `period`. The first Tick() completes at once; Tick() returns
// the instant the tick was scheduled for.
//
// Missed ticks (the task was busy past one or more deadlines):
//   kBurst  (default, as tokio) fire the missed ticks back to back, then
//           keep the original schedule: start + k * period.
//   kDelay  the next tick is one period after the late one, shifting the
//           schedule.
//   kSkip   drop the missed ticks; the next is the first instant of the
//           original schedule that is still in the future.
class Interval {
 public:
  enum class MissedTicks { kBurst, kDelay, kSkip };

  explicit Interval(Clock::duration period,
                    MissedTicks policy = MissedTicks::kBurst);
  // Starts the schedule at `start` instead of now.
  Interval(Instant start, Clock::duration period,
           MissedTicks policy = MissedTicks::kBurst);

  Task<Instant> Tick();
  Clock::duration period() const { return period_; }

 private:
  Instant next_;
  Clock::duration period_;
  MissedTicks policy_;
};

namespace time {

// The current runtime's clock (the paused one in tests).
Instant Now();
// Stops the current runtime's clock (tokio's time::pause). From then on it
// moves only by Advance() or, when the runtime is idle, by jumping to the
// next timer.
void Pause();
// Lets the clock follow real time again.
void Resume();
// Moves a paused clock forward by `d`, wakes every timer now due, and lets
// the tasks it woke run before returning.
Task<> Advance(Clock::duration d);

}  // namespace time
}  // namespace weft

#endif  // WEFT_RUNTIME_TIME_TIME_H_
