// Seeded randomized stress of the scheduler: the world and its invariants
// are in tests/stress/scheduler_stress.h; here a PRNG drives it.
//
// A failing seed is printed; replay one with WEFT_STRESS_SEEDS=<seed>.
// Soak: WEFT_STRESS_SEEDS=1000 WEFT_STRESS_MINUTES=10 runs more seeds.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "tests/stress/scheduler_stress.h"

namespace weft {
namespace {

TEST(Stress, RandomOperationsKeepEveryInvariant) {
  std::vector<uint64_t> seeds = {1, 2, 3, 42, 1234, 99991};
  int minutes = 0;
  if (const char* env = std::getenv("WEFT_STRESS_SEEDS")) {
    const uint64_t n = std::strtoull(env, nullptr, 10);
    seeds.clear();
    // One number: that seed alone if >= 1000 (a replay), else that many.
    if (n >= 1000) {
      seeds.push_back(n);
    } else {
      for (uint64_t s = 1; s <= n; ++s) seeds.push_back(s);
    }
  }
  if (const char* env = std::getenv("WEFT_STRESS_MINUTES"))
    minutes = std::atoi(env);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(minutes);
  uint64_t extra = 1'000'000;
  for (size_t i = 0;; ++i) {
    const uint64_t seed = i < seeds.size() ? seeds[i] : extra++;
    if (i >= seeds.size() && std::chrono::steady_clock::now() >= deadline)
      break;
    std::mt19937_64 rng(seed);
    const stress::Report report = stress::Run([&rng] { return rng(); }, 2000);
    ASSERT_TRUE(report.ok())
        << "seed=" << seed << " (replay: WEFT_STRESS_SEEDS=" << seed
        << "): " << report.ToString();
  }
}

}  // namespace
}  // namespace weft
