// The sync and composition benchmark jobs, weft's side of
// ../shared/bench/tokio_sync (tokio 1.24): the same bench names, each doing
// the same work operation for operation with weft's primitives, so the two
// binaries can be timed and counted side by side
// (tools/bench/sync_vs_tokio.sh). Shared by the binary and its test.
#ifndef WEFT_TOOLS_BENCH_SYNC_JOBS_H_
#define WEFT_TOOLS_BENCH_SYNC_JOBS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/weft.h"

namespace weft::bench {

struct SyncResult {
  double ns = 0;      // wall time of the body
  uint64_t ops = 0;   // what the time is divided by
  std::string extra;  // " key=value" pairs for the RESULT line
};

// The bench names, in tokio_sync's order.
const std::vector<std::string>& SyncBenchNames();
// The smallest n `bench` accepts (its tasks or threads split n).
uint64_t SyncBenchMinN(const std::string& bench);

// Runs `bench` once with `n` inside the current runtime (the caller runs it
// in a spawned task, as tokio_sync does). Each job checks its own result
// (counts, sums) and aborts with a message if it is wrong. Not for "mem".
Task<SyncResult> RunSyncBench(const std::string& bench, uint64_t n);

// "mem": n idle bounded channels, each with a task parked in Recv; prints
// its RESULT line with bytes_per_task and exits without teardown, as
// tokio_sync does.
Task<> RunMemBench(uint64_t n);

// "RESULT impl=weft bench=... n=... ops=... ns_per_op=...": the line both
// binaries print.
std::string ResultLine(const std::string& bench, uint64_t n,
                       const SyncResult& r);

}  // namespace weft::bench

#endif  // WEFT_TOOLS_BENCH_SYNC_JOBS_H_
