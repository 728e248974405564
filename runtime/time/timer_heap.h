// TimerHeap: pending timers in a binary min-heap, earliest deadline first.
//
// The alternative to TimerWheel (timer_wheel.h), kept for the benchmark that
// chose between them (docs/time.md): insert and cancel are O(log n), firing
// is exact to the nanosecond. Each entry knows its heap index, so a Sleep
// destroyed early removes itself without a search.
//
// Order: by deadline, then by arming order (seq), so equal deadlines fire
// first-armed first. Runtime thread only.
#ifndef WEFT_RUNTIME_TIME_TIMER_HEAP_H_
#define WEFT_RUNTIME_TIME_TIMER_HEAP_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/time/timer_entry.h"

namespace weft {

namespace internal {

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

#endif  // WEFT_RUNTIME_TIME_TIMER_HEAP_H_
