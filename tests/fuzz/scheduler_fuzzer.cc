// Fuzz target: the scheduler stress world (tests/stress/scheduler_stress.h)
// with its operation stream read from the input, a byte per choice. Every
// run must keep every invariant; a violation aborts with the report, a lost
// wake hangs and libFuzzer's -timeout reports it.
//
// As a libFuzzer binary: tools/bazel build --config=fuzz
//   //tests/fuzz:scheduler_fuzzer (the CI runs it for a minute). As a test
//   (every configuration, so also under TSan): the same function over every
//   file in scheduler_corpus/.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/stress/scheduler_stress.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // More tasks than choices would only repeat the all-zero tail.
  const int tasks = static_cast<int>(std::clamp<size_t>(size / 4, 1, 256));
  size_t at = 0;
  const weft::stress::Report report = weft::stress::Run(
      [&]() -> uint64_t { return at < size ? data[at++] : 0; }, tasks);
  if (!report.ok()) {
    std::fprintf(stderr, "scheduler invariant broken: %s\n",
                 report.ToString().c_str());
    std::abort();
  }
  return 0;
}
