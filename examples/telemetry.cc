// The JoinHandle lesson: start a task, do other work meanwhile, then collect
// the task's result.
//
//   JoinHandle<int> telemetry = Spawn(EmitTelemetry());  // starts it
//   int work = co_await DoWork();                        // runs meanwhile
//   int sent = *(co_await telemetry);                    // joins it later
//
// Run it: tools/bazel run //examples:telemetry
// Watch the log: the telemetry and work lines interleave in time, because
// both tasks share one thread and each parks (sleeps) between its steps;
// the whole run takes about as long as the longer of the two, not their
// sum. The spawner awaits the handle only at the end, when it needs the
// result.
#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

#include "runtime/weft.h"

namespace {

using Clock = std::chrono::steady_clock;
const Clock::time_point kStart = Clock::now();

long long ElapsedMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               kStart)
      .count();
}

void Log(const char* who, int step) {
  std::printf("%5lld ms  %-9s step %d\n", ElapsedMs(), who, step);
  std::fflush(stdout);
}

// Reports progress a few times, letting other tasks run in between.
weft::Task<int> EmitTelemetry() {
  int sent = 0;
  for (int i = 1; i <= 3; ++i) {
    Log("telemetry", i);
    ++sent;
    co_await weft::Sleep(100ms);  // waiting on a "network": others run
  }
  co_return sent;
}

weft::Task<int> DoWork() {
  int done = 0;
  for (int i = 1; i <= 3; ++i) {
    Log("work", i);
    ++done;
    co_await weft::Sleep(150ms);
  }
  co_return done;
}

weft::Task<int> Main() {
  weft::JoinHandle<int> telemetry = weft::Spawn(EmitTelemetry());
  const int work = co_await DoWork();
  const int sent = *(co_await telemetry);
  std::printf(
      "work steps: %d, telemetry reports: %d, in %lld ms "
      "(one after the other: 750 ms)\n",
      work, sent, ElapsedMs());
  co_return 0;
}

}  // namespace

int main() {
  weft::Runtime runtime;
  return runtime.BlockOn(Main());
}
