#include "runtime/time/timer_heap.h"

#include <utility>

namespace weft::internal {

void TimerHeap::Insert(TimerEntry* entry) {
  entry->armed_ = true;
  entry->seq = next_seq_++;
  heap_.push_back(nullptr);
  Place(heap_.size() - 1, entry);
  SiftUp(heap_.size() - 1);
}

void TimerHeap::Remove(TimerEntry* entry) {
  const size_t i = entry->heap_index;
  entry->armed_ = false;
  TimerEntry* last = heap_.back();
  heap_.pop_back();
  if (last == entry) return;
  Place(i, last);
  SiftDown(i);
  SiftUp(last->heap_index);
}

std::optional<Instant> TimerHeap::NextDeadline() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front()->deadline;
}

size_t TimerHeap::FireDue(Instant now) {
  size_t fired = 0;
  std::vector<TimerEntry*> deferred;
  while (!heap_.empty() && heap_.front()->deadline <= now) {
    TimerEntry* entry = heap_.front();
    Remove(entry);
    if (entry->on_fire != nullptr && !entry->on_fire(entry->on_fire_arg)) {
      deferred.push_back(entry);
      continue;
    }
    std::move(entry->waker).Wake();
    ++fired;
  }
  for (TimerEntry* entry : deferred) Insert(entry);
  return fired;
}

void TimerHeap::SiftUp(size_t i) {
  TimerEntry* entry = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!Before(entry, heap_[parent])) break;
    Place(i, heap_[parent]);
    i = parent;
  }
  Place(i, entry);
}

void TimerHeap::SiftDown(size_t i) {
  TimerEntry* entry = heap_[i];
  const size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Before(heap_[child + 1], heap_[child])) ++child;
    if (!Before(heap_[child], entry)) break;
    Place(i, heap_[child]);
    i = child;
  }
  Place(i, entry);
}

}  // namespace weft::internal
