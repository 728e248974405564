// TimerEntry: one armed timer, and the clock types weft uses.
//
// An entry lives inside the awaitable that armed it (Sleep, Timeout), so
// arming allocates nothing. The timer store that holds it (TimerWheel in the
// runtime; TimerHeap kept for comparison, docs/time.md) links it in place;
// an entry destroyed while armed removes itself first.
#ifndef WEFT_RUNTIME_TIME_TIMER_ENTRY_H_
#define WEFT_RUNTIME_TIME_TIMER_ENTRY_H_

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "runtime/task/waker.h"

namespace weft {

using Clock = std::chrono::steady_clock;
using Instant = Clock::time_point;

namespace internal {

struct TimerEntry {
  Instant deadline;
  Waker waker;
  // Optional, called when due, before the wake; returning false leaves the
  // entry armed for the next turn of the loop (Timeout uses it to redirect
  // its task, which it cannot do while that task is running).
  bool (*on_fire)(void* arg) = nullptr;
  void* on_fire_arg = nullptr;

  // True from Insert until it fires or is removed.
  bool armed() const { return armed_; }

  // The store's bookkeeping; only the store that holds the entry touches it.
  bool armed_ = false;
  uint64_t seq = 0;       // TimerHeap: arming order, for FIFO ties
  size_t heap_index = 0;  // TimerHeap: position in the heap
  uint64_t tick = 0;      // TimerWheel: deadline in ms since its origin
  uint8_t level = 0;      // TimerWheel: where it is linked
  uint8_t slot = 0;
  TimerEntry* prev = nullptr;  // TimerWheel: the slot's list
  TimerEntry* next = nullptr;
};

}  // namespace internal
}  // namespace weft

#endif  // WEFT_RUNTIME_TIME_TIMER_ENTRY_H_
