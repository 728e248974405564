// The JoinHandle lesson: start a task, do other work meanwhile, then collect
// the task's result.
//
//   JoinHandle<int> telemetry = Spawn(EmitTelemetry());  // starts it
//   int work = co_await DoWork();                        // runs meanwhile
//   int sent = *(co_await telemetry);                    // joins it later
//
// Run it: tools/bazel run //examples:telemetry
// Watch the log: the telemetry and work lines interleave, because both tasks
// share one thread and each parks (here: yields) between its steps. The
// spawner awaits the handle only at the end, when the result is needed.
#include <chrono>
#include <cstdio>

#include "runtime/weft.h"

namespace {

using Clock = std::chrono::steady_clock;
const Clock::time_point kStart = Clock::now();

void Log(const char* who, int step) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      Clock::now() - kStart)
                      .count();
  std::printf("%8lld us  %-9s step %d\n", static_cast<long long>(us), who,
              step);
}

// Reports progress a few times, letting other tasks run in between.
weft::Task<int> EmitTelemetry() {
  int sent = 0;
  for (int i = 1; i <= 3; ++i) {
    Log("telemetry", i);
    ++sent;
    co_await weft::YieldNow();
  }
  co_return sent;
}

weft::Task<int> DoWork() {
  int done = 0;
  for (int i = 1; i <= 3; ++i) {
    Log("work", i);
    ++done;
    co_await weft::YieldNow();
  }
  co_return done;
}

weft::Task<int> Main() {
  weft::JoinHandle<int> telemetry = weft::Spawn(EmitTelemetry());
  const int work = co_await DoWork();
  const int sent = *(co_await telemetry);
  std::printf("work steps: %d, telemetry reports: %d\n", work, sent);
  co_return 0;
}

}  // namespace

int main() {
  weft::Runtime runtime;
  return runtime.BlockOn(Main());
}
