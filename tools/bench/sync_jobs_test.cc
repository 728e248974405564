// Every sync benchmark job runs to the end with a small n and checks its
// own result (a wrong count or sum aborts), so the side-by-side table with
// tokio never times a job that stopped working.
#include "tools/bench/sync_jobs.h"

#include <string>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft::bench {
namespace {

TEST(SyncJobs, EveryJobFinishesAndCountsItsOperations) {
  for (const std::string& bench : SyncBenchNames()) {
    if (bench == "mem") continue;  // it exits the process by design
    SCOPED_TRACE(bench);
    const uint64_t n = 2 * SyncBenchMinN(bench) + 200;
    Runtime rt;
    SyncResult r = rt.BlockOn([&]() -> Task<SyncResult> {
      JoinHandle<SyncResult> job = Spawn(RunSyncBench(bench, n));
      JoinResult<SyncResult> done = co_await job;
      co_return *std::move(done);
    });
    EXPECT_GT(r.ops, 0u);
    EXPECT_LE(r.ops, bench == "broadcast" ? n * 100 : n);
    EXPECT_GT(r.ns, 0);
    if (bench == "watch") {
      EXPECT_NE(r.extra.find("changes_observed="), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace weft::bench
