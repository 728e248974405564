// TimerWheel: the runtime's pending timers (tokio's hierarchical wheel).
//
// Time is counted in ticks of 1 ms from the wheel's origin. Six levels of
// 64 slots: a slot at level L spans 64^L ticks, so the wheel reaches 64^6 ms
// (about 2.2 years; later deadlines are clamped to its edge). Each slot is
// an intrusive list of entries, and each level keeps a 64-bit mask of its
// non-empty slots.
//
//   Insert   O(1): the level is the highest 6-bit digit in which the
//            deadline differs from `elapsed_`; the slot is that digit.
//   Remove   O(1): unlink, clear the mask bit if the slot empties.
//   Fire     take the earliest non-empty slot; at level 0 its entries are
//            due and fire in insertion order; at a higher level they are
//            re-inserted ("cascade") into lower levels, now that time has
//            come closer.
//
//   Next turn  an entry whose on_fire asked to wait (TimerEntry) goes on a
//            list of its own, fired first by the next FireDue whatever time
//            it is then: a turn of the loop, not a tick, so a busy run
//            queue under a paused clock still gets to it.
//
// Invariants: every tick before `elapsed_` has been processed; an entry at
// level L sits in a slot whose digit is >= elapsed_'s digit at L, and whose
// higher digits equal elapsed_'s. Deadlines are rounded up to the next tick,
// so a timer never fires early; it fires at most 1 ms late (plus
// scheduling). Entries of equal tick fire in arming order.
#ifndef WEFT_RUNTIME_TIME_TIMER_WHEEL_H_
#define WEFT_RUNTIME_TIME_TIMER_WHEEL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/time/timer_entry.h"

namespace weft::internal {

class TimerWheel {
 public:
  static constexpr Clock::duration kTick = std::chrono::milliseconds(1);

  explicit TimerWheel(Instant origin) : origin_(origin) {}
  TimerWheel(const TimerWheel&) = delete;
  TimerWheel& operator=(const TimerWheel&) = delete;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  Instant origin() const { return origin_; }

  void Insert(TimerEntry* entry);
  // Arms `entry` to fire at the next FireDue, whatever its deadline.
  void InsertNextTurn(TimerEntry* entry);
  void Remove(TimerEntry* entry);  // must be armed
  // Whether an entry waits for the next turn: the loop must not sleep.
  bool HasNextTurn() const { return next_turn_.head != nullptr; }
  // When the loop must next wake up: the start of the earliest non-empty
  // slot (a cascade point or a deadline, never later than any deadline).
  std::optional<Instant> NextDeadline() const;
  // Fires every entry due at `now`, cascading higher levels on the way.
  // Returns how many fired.
  size_t FireDue(Instant now);

 private:
  static constexpr int kLevels = 6;
  static constexpr int kBits = 6;
  static constexpr uint64_t kSlots = 1 << kBits;
  static constexpr uint64_t kMaxTicks = uint64_t{1} << (kLevels * kBits);

  struct Slot {
    TimerEntry* head = nullptr;
    TimerEntry* tail = nullptr;
    void Append(TimerEntry* entry) {
      entry->prev = tail;
      entry->next = nullptr;
      if (tail != nullptr) {
        tail->next = entry;
      } else {
        head = entry;
      }
      tail = entry;
    }
  };
  struct Expiration {
    int level;
    int slot;
    uint64_t tick;  // the slot's first tick
  };

  // The `level` of an entry on next_turn_.
  static constexpr uint8_t kNextTurnLevel = kLevels;

  void Place(TimerEntry* entry);
  // Fires `entry` (unlinked, due): wakes it, or, if its on_fire asks to
  // wait, adds it to `deferred`. Returns 1 if it fired.
  static size_t Fire(TimerEntry* entry, std::vector<TimerEntry*>& deferred);
  void Unlink(TimerEntry* entry);
  std::optional<Expiration> NextExpiration() const;

  Instant origin_;
  uint64_t elapsed_ = 0;
  size_t size_ = 0;
  uint64_t occupied_[kLevels] = {};
  Slot slots_[kLevels][kSlots];
  Slot next_turn_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TIME_TIMER_WHEEL_H_
