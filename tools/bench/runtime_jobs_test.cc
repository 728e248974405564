// The benchmark jobs do the same work in weft and in the floor: if they
// did not, the ratios in docs/benchmarks.md would compare different things.
#include "tools/bench/runtime_jobs.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"

namespace weft::bench {
namespace {

TEST(RuntimeJobs, WeftAndTheFloorComputeTheSameResult) {
  for (const auto& [name, run] : Ops()) {
    if (name.rfind("weft_", 0) != 0) continue;
    const std::string job = name.substr(5);
    const int n = job == "remote_wake" ? 200 : 2000;
    const long weft = run(n);
    const long floor = Ops().at(absl::StrCat("floor_", job))(n);
    benchmark::DoNotOptimize(weft);
    EXPECT_EQ(weft, floor) << job;
  }
}

TEST(RuntimeJobs, ParkedTasksCostMemory) {
  // Not a measurement (benchmarks.md has those): a sanity check that the
  // job parks real tasks.
  EXPECT_GT(WeftParkedBytes(10'000), 0.0);
  EXPECT_GT(WeftParkedOnNotifyBytes(10'000), 0.0);
}

}  // namespace
}  // namespace weft::bench
