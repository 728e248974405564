// sync_bench: weft's side of the tokio sync benchmarks, with tokio_sync's
// protocol (../shared/bench/tokio_sync/README.md):
//
//   sync_bench <bench> <n> [warm 0|1]
//
// prints "RESULT impl=weft bench=<bench> n=<n> ops=<ops> ns_per_op=<ns>".
// The body runs in a spawned task, after one untimed warm-up pass unless
// warm is 0 (callgrind and strace pass 0). tools/bench/sync_vs_tokio.sh
// runs both binaries side by side.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "runtime/weft.h"
#include "tools/bench/sync_jobs.h"

namespace {

weft::Task<> Body(std::string bench, uint64_t n, bool warm) {
  if (bench == "mem") {
    co_await weft::bench::RunMemBench(n);  // exits
    co_return;
  }
  if (warm) (void)co_await weft::bench::RunSyncBench(bench, n);
  weft::bench::SyncResult r = co_await weft::bench::RunSyncBench(bench, n);
  std::printf("%s\n", weft::bench::ResultLine(bench, n, r).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const auto& names = weft::bench::SyncBenchNames();
  uint64_t n = 0;
  const std::string bench = argc >= 3 ? argv[1] : "";
  if (argc < 3 || std::find(names.begin(), names.end(), bench) == names.end() ||
      !absl::SimpleAtoi(argv[2], &n)) {
    std::fprintf(stderr, "usage: %s <%s> <n> [warm 0|1]\n", argv[0],
                 absl::StrJoin(names, "|").c_str());
    return 2;
  }
  if (n < weft::bench::SyncBenchMinN(bench)) {
    std::fprintf(
        stderr, "%s: n must be at least %llu\n", bench.c_str(),
        static_cast<unsigned long long>(weft::bench::SyncBenchMinN(bench)));
    return 2;
  }
  const bool warm = argc < 4 || std::string(argv[3]) != "0";
  weft::Runtime rt;
  rt.BlockOn([&]() -> weft::Task<> {
    weft::JoinHandle<void> body = weft::Spawn(Body(bench, n, warm));
    co_await body;
  });
  return 0;
}
