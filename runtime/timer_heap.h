// TimerHeap: the executor's pending timers, earliest deadline first.
//
// A binary min-heap of pointers to TimerEntry objects that live inside the
// Sleep awaitables themselves (in the sleeping coroutine's frame), so arming
// a timer allocates nothing beyond the heap vector's amortised growth. Each
// entry knows its heap index, so a Sleep destroyed early (its task was
// cancelled, a Timeout fired) removes itself in O(log n).
//
// Order: by deadline, then by arming order (seq), so equal deadlines fire
// first-armed first. Runtime thread only.
#ifndef WEFT_RUNTIME_TIMER_HEAP_H_
#define WEFT_RUNTIME_TIMER_HEAP_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/waker.h"

namespace weft {

using Clock = std::chrono::steady_clock;
using Instant = Clock::time_point;

namespace internal {

struct TimerEntry {
  static constexpr size_t kNotArmed = ~size_t{0};
  Instant deadline;
  uint64_t seq = 0;
  size_t heap_index = kNotArmed;  // kNotArmed: fired, cancelled, or never armed
  Waker waker;
  // Optional, called when due, before the wake; returning false leaves the
  // entry armed for the next turn of the loop (Timeout uses it to redirect
  // its task, which it cannot do while that task is running).
  bool (*on_fire)(void* arg) = nullptr;
  void* on_fire_arg = nullptr;

  bool armed() const { return heap_index != kNotArmed; }
};

class TimerHeap {
 public:
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }

  void Insert(TimerEntry* entry);
  void Remove(TimerEntry* entry);  // must be armed
  std::optional<Instant> NextDeadline() const;
  // Disarms and wakes every entry due at `now`, in deadline order. Returns
  // how many fired.
  size_t FireDue(Instant now);

 private:
  static bool Before(const TimerEntry* a, const TimerEntry* b) {
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && a->seq < b->seq);
  }
  void Place(size_t i, TimerEntry* entry) {
    heap_[i] = entry;
    entry->heap_index = i;
  }
  void SiftUp(size_t i);
  void SiftDown(size_t i);

  std::vector<TimerEntry*> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace internal
}  // namespace weft

#endif  // WEFT_RUNTIME_TIMER_HEAP_H_
