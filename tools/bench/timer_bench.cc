// Timer store: hierarchical wheel (what the runtime uses) against a binary
// heap, at 10 and 1,000,000 pending timers.
//
//   tools/bazel run -c opt //tools/bench:timer_bench
//
// arm_cancel:  cancel a pending timer and arm it again elsewhere (a Timeout
//              that was not needed, the common case), N pending.
// arm_fire:    arm N timers at spread deadlines, then fire them all; per
//              timer.
#include <chrono>
#include <memory>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "runtime/time/timer_heap.h"
#include "runtime/time/timer_wheel.h"

namespace weft::internal {
namespace {

using std::chrono::milliseconds;

const Instant kOrigin = Clock::now();

// N deadlines spread over 0..10 s, fixed seed.
std::vector<Instant> Deadlines(size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> ms(1, 10'000);
  std::vector<Instant> out(n);
  for (auto& d : out) d = kOrigin + milliseconds(ms(rng));
  return out;
}

template <class Store>
std::unique_ptr<Store> MakeStore();
template <>
std::unique_ptr<TimerHeap> MakeStore<TimerHeap>() {
  return std::make_unique<TimerHeap>();
}
template <>
std::unique_ptr<TimerWheel> MakeStore<TimerWheel>() {
  return std::make_unique<TimerWheel>(kOrigin);
}

template <class Store>
void BM_ArmCancel(benchmark::State& state) {
  const size_t pending = state.range(0);
  auto store = MakeStore<Store>();
  std::vector<TimerEntry> background(pending);
  const auto deadlines = Deadlines(pending);
  for (size_t i = 0; i < pending; ++i) {
    background[i].deadline = deadlines[i];
    store->Insert(&background[i]);
  }
  // Cancel one pending timer (anywhere in the store) and arm it again at
  // another deadline, round-robin over all of them.
  const auto fresh = Deadlines(pending + 7);
  size_t i = 0;
  for (auto _ : state) {
    TimerEntry& e = background[i % pending];
    store->Remove(&e);
    e.deadline = fresh[(i * 7) % fresh.size()];
    store->Insert(&e);
    ++i;
  }
  for (auto& e : background) store->Remove(&e);
}

template <class Store>
void BM_ArmFire(benchmark::State& state) {
  const size_t n = state.range(0);
  const auto deadlines = Deadlines(n);
  std::vector<TimerEntry> entries(n);
  for (auto _ : state) {
    auto store = MakeStore<Store>();
    for (size_t i = 0; i < n; ++i) {
      entries[i].deadline = deadlines[i];
      store->Insert(&entries[i]);
    }
    // As the runtime does: sleep until the next deadline, fire what is due.
    while (auto next = store->NextDeadline()) store->FireDue(*next);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_ArmCancel<TimerHeap>)->Arg(10)->Arg(1'000'000);
BENCHMARK(BM_ArmCancel<TimerWheel>)->Arg(10)->Arg(1'000'000);
BENCHMARK(BM_ArmFire<TimerHeap>)
    ->Arg(10)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ArmFire<TimerWheel>)
    ->Arg(10)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace weft::internal

BENCHMARK_MAIN();
