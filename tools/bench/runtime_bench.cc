// weft's scheduler against the floor (floor.h), job for job.
//
// Wall time (Google Benchmark, pinned with taskset):
//   tools/bazel run -c opt //tools/bench:runtime_bench
// Instructions per operation (callgrind, deterministic here):
//   tools/bench/runtime_callgrind.sh
// which runs this binary as `runtime_bench --op=NAME --n=N` (no Google
// Benchmark in the way) at two sizes and divides the difference.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "benchmark/benchmark.h"
#include "tools/bench/runtime_jobs.h"

namespace weft::bench {
namespace {

void BM_Op(benchmark::State& state, const std::string& op) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(Ops().at(op)(n));
  state.SetItemsProcessed(state.iterations() * n);
}

// The parked-memory jobs, by name.
const std::map<std::string, double (*)(int)>& MemoryOps() {
  static const auto* ops = new std::map<std::string, double (*)(int)>{
      {"weft_parked_bytes", WeftParkedBytes},
      {"floor_parked_bytes", FloorParkedBytes},
      {"weft_parked_on_notify_bytes", WeftParkedOnNotifyBytes},
  };
  return *ops;
}

void BM_ParkedBytes(benchmark::State& state, double (*job)(int)) {
  double bytes = 0;
  for (auto _ : state) bytes = job(1'000'000);
  state.counters["bytes_per_task"] = bytes;
}

void Register() {
  for (const auto& [name, fn] : Ops()) {
    const int n = name.find("remote") != std::string::npos ? 20'000 : 100'000;
    benchmark::RegisterBenchmark(name.c_str(), BM_Op, name)
        ->Arg(n)
        ->Unit(benchmark::kMicrosecond);
  }
  for (const auto& [name, job] : MemoryOps()) {
    benchmark::RegisterBenchmark(name.c_str(), BM_ParkedBytes, job)
        ->Iterations(1);
  }
}

}  // namespace
}  // namespace weft::bench

int main(int argc, char** argv) {
  // `--op=NAME --n=N`: run one job once, for callgrind.
  if (argc == 3 && std::strncmp(argv[1], "--op=", 5) == 0 &&
      std::strncmp(argv[2], "--n=", 4) == 0) {
    const std::string op = argv[1] + 5;
    const int n = std::atoi(argv[2] + 4);
    if (auto memory = weft::bench::MemoryOps().find(op);
        memory != weft::bench::MemoryOps().end()) {
      std::printf("%.1f\n", memory->second(n));
      return 0;
    }
    auto it = weft::bench::Ops().find(op);
    if (it == weft::bench::Ops().end()) {
      std::fprintf(stderr, "unknown --op=%s\n", op.c_str());
      return 2;
    }
    benchmark::DoNotOptimize(it->second(n));
    return 0;
  }
  weft::bench::Register();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
