// TimerWheel: deadlines across all levels fire in order, never early,
// equal ticks in arming order; removal is clean at any level.
#include "runtime/time/timer_wheel.h"

#include <chrono>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace weft::internal {
namespace {

using std::chrono::milliseconds;

// Fires everything the way the runtime does, recording (entry, fire time).
std::vector<std::pair<int, Instant>> FireAll(TimerWheel& wheel,
                                             std::vector<TimerEntry>& entries) {
  std::vector<std::pair<int, Instant>> fired;
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].on_fire_arg = reinterpret_cast<void*>(i);
  }
  std::vector<std::pair<int, Instant>>* out = &fired;
  static thread_local std::vector<std::pair<int, Instant>>* sink;
  static thread_local Instant now;
  sink = out;
  for (auto& e : entries) {
    e.on_fire = [](void* arg) {
      sink->emplace_back(static_cast<int>(reinterpret_cast<intptr_t>(arg)),
                         now);
      return true;
    };
  }
  while (auto next = wheel.NextDeadline()) {
    now = *next;
    wheel.FireDue(now);
  }
  return fired;
}

TEST(TimerWheel, FiresAcrossLevelsInDeadlineOrderNeverEarly) {
  const Instant origin = Clock::now();
  TimerWheel wheel(origin);
  // Deadlines from sub-millisecond to days: every level of the wheel.
  std::mt19937_64 rng(7);
  std::vector<TimerEntry> entries(5000);
  for (auto& e : entries) {
    const int64_t us = std::uniform_int_distribution<int64_t>(
        1, int64_t{3} * 24 * 3600 * 1000 * 1000)(rng);
    e.deadline = origin + std::chrono::microseconds(us >> (rng() % 30));
    wheel.Insert(&e);
  }
  auto fired = FireAll(wheel, entries);
  ASSERT_EQ(fired.size(), entries.size());
  EXPECT_TRUE(wheel.empty());
  for (size_t i = 0; i < fired.size(); ++i) {
    const TimerEntry& e = entries[fired[i].first];
    EXPECT_GE(fired[i].second, e.deadline) << "fired early";
    EXPECT_LT(fired[i].second - e.deadline, milliseconds(1)) << "fired late";
    if (i > 0) {
      EXPECT_LE(entries[fired[i - 1].first].deadline - milliseconds(1),
                e.deadline)
          << "out of order";
    }
  }
}

TEST(TimerWheel, EqualTicksFireInArmingOrder) {
  const Instant origin = Clock::now();
  TimerWheel wheel(origin);
  std::vector<TimerEntry> entries(100);
  for (auto& e : entries) {
    e.deadline = origin + milliseconds(5000);  // a level-2 slot at first
    wheel.Insert(&e);
  }
  auto fired = FireAll(wheel, entries);
  ASSERT_EQ(fired.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(fired[i].first, i);
}

TEST(TimerWheel, RemovedEntriesNeverFire) {
  const Instant origin = Clock::now();
  TimerWheel wheel(origin);
  std::vector<TimerEntry> entries(1000);
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].deadline = origin + milliseconds(i * 37);
    wheel.Insert(&entries[i]);
  }
  for (size_t i = 0; i < entries.size(); i += 2) wheel.Remove(&entries[i]);
  EXPECT_EQ(wheel.size(), 500u);
  auto fired = FireAll(wheel, entries);
  ASSERT_EQ(fired.size(), 500u);
  for (auto& [index, at] : fired) EXPECT_EQ(index % 2, 1);
}

TEST(TimerWheel, APastDeadlineIsDueAtOnce) {
  const Instant origin = Clock::now();
  TimerWheel wheel(origin);
  wheel.FireDue(origin + milliseconds(100));
  TimerEntry late;
  late.deadline = origin;  // already past
  wheel.Insert(&late);
  ASSERT_TRUE(wheel.NextDeadline().has_value());
  EXPECT_LE(*wheel.NextDeadline(), origin + milliseconds(101));
  EXPECT_EQ(wheel.FireDue(origin + milliseconds(101)), 1u);
  EXPECT_FALSE(late.armed());
}

}  // namespace
}  // namespace weft::internal
