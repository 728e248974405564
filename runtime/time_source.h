// TimeSource: the runtime's clock, real or paused (for tests).
//
// Normally Now() is the steady clock. A test can pause it (time::Pause in
// time.h): Now() then stands still until time::Advance moves it, and when
// the runtime has nothing to run and no I/O ready it jumps straight to the
// next timer (auto-advance), so a test that sleeps an hour takes no time.
// Runtime thread only.
#ifndef WEFT_RUNTIME_TIME_SOURCE_H_
#define WEFT_RUNTIME_TIME_SOURCE_H_

#include "runtime/timer_heap.h"

namespace weft::internal {

class TimeSource {
 public:
  Instant Now() const { return paused_ ? frozen_ : Clock::now(); }
  bool paused() const { return paused_; }

  void Pause() {
    if (!paused_) frozen_ = Clock::now();
    paused_ = true;
  }
  void Resume() { paused_ = false; }
  // Paused only; never moves backwards.
  void AdvanceTo(Instant t) {
    if (t > frozen_) frozen_ = t;
  }

 private:
  bool paused_ = false;
  Instant frozen_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TIME_SOURCE_H_
