#include "runtime/time/timer_wheel.h"

#include <bit>
#include <utility>
#include <vector>

namespace weft::internal {

void TimerWheel::Insert(TimerEntry* entry) {
  // Round up: firing at tick t means the deadline is <= origin + t ms.
  const auto since = entry->deadline - origin_;
  uint64_t tick =
      since <= Clock::duration::zero()
          ? 0
          : static_cast<uint64_t>((since + kTick - Clock::duration(1)) / kTick);
  if (tick < elapsed_) tick = elapsed_;  // already due: the current tick
  if (tick - elapsed_ >= kMaxTicks) tick = elapsed_ + kMaxTicks - 1;
  entry->tick = tick;
  entry->armed_ = true;
  ++size_;
  Place(entry);
}

void TimerWheel::InsertNextTurn(TimerEntry* entry) {
  entry->armed_ = true;
  ++size_;
  entry->level = kNextTurnLevel;
  entry->slot = 0;
  next_turn_.Append(entry);
}

void TimerWheel::Place(TimerEntry* entry) {
  // The highest digit in which the tick differs from now picks the level
  // (at least level 0: `| (kSlots - 1)`).
  const uint64_t masked = (entry->tick ^ elapsed_) | (kSlots - 1);
  const int significant = 63 - std::countl_zero(masked);
  const int level = significant / kBits;
  const int slot =
      static_cast<int>((entry->tick >> (level * kBits)) & (kSlots - 1));
  entry->level = static_cast<uint8_t>(level);
  entry->slot = static_cast<uint8_t>(slot);
  slots_[level][slot].Append(entry);
  occupied_[level] |= uint64_t{1} << slot;
}

void TimerWheel::Unlink(TimerEntry* entry) {
  const bool next_turn = entry->level == kNextTurnLevel;
  Slot& s = next_turn ? next_turn_ : slots_[entry->level][entry->slot];
  if (entry->prev != nullptr) {
    entry->prev->next = entry->next;
  } else {
    s.head = entry->next;
  }
  if (entry->next != nullptr) {
    entry->next->prev = entry->prev;
  } else {
    s.tail = entry->prev;
  }
  entry->prev = entry->next = nullptr;
  if (s.head == nullptr && !next_turn)
    occupied_[entry->level] &= ~(uint64_t{1} << entry->slot);
}

void TimerWheel::Remove(TimerEntry* entry) {
  Unlink(entry);
  entry->armed_ = false;
  --size_;
}

std::optional<TimerWheel::Expiration> TimerWheel::NextExpiration() const {
  // Asked before every sleep and at the end of every FireDue; with no
  // timers (the common case for a pure I/O or cross-thread wake loop) skip
  // the per-level search. Every entry in a slot is counted in size_.
  if (size_ == 0) return std::nullopt;
  // Lower levels hold nearer ticks than any occupied higher slot, so the
  // first level with a slot at or after now's digit has the earliest one.
  for (int level = 0; level < kLevels; ++level) {
    const int now_digit =
        static_cast<int>((elapsed_ >> (level * kBits)) & (kSlots - 1));
    const uint64_t ahead = occupied_[level] >> now_digit;
    if (ahead == 0) continue;
    const int slot = now_digit + std::countr_zero(ahead);
    const uint64_t level_range = uint64_t{1} << ((level + 1) * kBits);
    const uint64_t base = elapsed_ & ~(level_range - 1);
    uint64_t tick =
        base + (uint64_t{static_cast<unsigned>(slot)} << (level * kBits));
    if (tick < elapsed_) tick = elapsed_;  // the current slot: due now
    return Expiration{level, slot, tick};
  }
  return std::nullopt;
}

std::optional<Instant> TimerWheel::NextDeadline() const {
  const std::optional<Expiration> next = NextExpiration();
  if (!next) return std::nullopt;
  return origin_ + next->tick * kTick;
}

size_t TimerWheel::FireDue(Instant now) {
  if (now < origin_) return 0;
  const uint64_t now_tick = static_cast<uint64_t>((now - origin_) / kTick);
  size_t fired = 0;
  std::vector<TimerEntry*> deferred;
  // Those that waited for this turn first: they were due before the rest.
  TimerEntry* waited = std::exchange(next_turn_.head, nullptr);
  next_turn_.tail = nullptr;
  while (waited != nullptr) {
    TimerEntry* following = waited->next;
    waited->prev = waited->next = nullptr;
    --size_;
    fired += Fire(waited, deferred);
    waited = following;
  }
  while (std::optional<Expiration> next = NextExpiration()) {
    if (next->tick > now_tick) break;
    elapsed_ = next->tick;
    // Take the whole slot: entries re-inserted below land elsewhere.
    Slot& s = slots_[next->level][next->slot];
    TimerEntry* entry = s.head;
    s.head = s.tail = nullptr;
    occupied_[next->level] &= ~(uint64_t{1} << next->slot);
    while (entry != nullptr) {
      TimerEntry* following = entry->next;
      entry->prev = entry->next = nullptr;
      if (entry->tick > now_tick) {
        Place(entry);  // cascade: nearer now, so into a lower level
      } else {
        --size_;
        fired += Fire(entry, deferred);
      }
      entry = following;
    }
  }
  if (now_tick >= elapsed_) elapsed_ = now_tick + 1;
  // Entries that could not fire yet go back, due at the next turn.
  for (TimerEntry* entry : deferred) InsertNextTurn(entry);
  return fired;
}

size_t TimerWheel::Fire(TimerEntry* entry, std::vector<TimerEntry*>& deferred) {
  entry->armed_ = false;
  if (entry->on_fire != nullptr && !entry->on_fire(entry->on_fire_arg)) {
    deferred.push_back(entry);
    return 0;
  }
  std::move(entry->waker).Wake();
  return 1;
}

}  // namespace weft::internal
