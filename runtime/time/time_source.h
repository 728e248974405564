// TimeSource: the runtime's clock, real or paused (for tests).
//
// Normally Now() is the steady clock. A test can pause it (time::Pause in
// time.h): Now() then stands still until time::Advance moves it, and when
// the runtime has nothing to run and no I/O ready it jumps straight to the
// next timer (auto-advance), so a test that sleeps an hour takes no time.
// Runtime thread only.
#ifndef WEFT_RUNTIME_TIME_TIME_SOURCE_H_
#define WEFT_RUNTIME_TIME_TIME_SOURCE_H_

#include "runtime/time/timer_entry.h"

namespace weft::internal {

class TimeSource {
 public:
  // `origin` is the timer wheel's: pausing snaps the clock onto its 1 ms
  // grid, so that paused deadlines (now + whole milliseconds) fall exactly
  // on wheel ticks and auto-advance lands exactly on them.
  explicit TimeSource(Instant origin) : origin_(origin) {}

  Instant Now() const { return paused_ ? frozen_ : Clock::now(); }
  bool paused() const { return paused_; }

  void Pause() {
    if (!paused_) {
      const auto since = Clock::now() - origin_;
      frozen_ = origin_ + std::chrono::floor<std::chrono::milliseconds>(since);
    }
    paused_ = true;
  }
  void Resume() { paused_ = false; }
  // Paused only; never moves backwards.
  void AdvanceTo(Instant t) {
    if (t > frozen_) frozen_ = t;
  }

 private:
  Instant origin_;
  bool paused_ = false;
  Instant frozen_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TIME_TIME_SOURCE_H_
