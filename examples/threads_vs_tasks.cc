// OS threads versus tasks: the same tiny job done N times concurrently by
// std::thread and by weft::Spawn, measured.
//
// Run it:  tools/bazel run -c opt //examples:threads_vs_tasks
//          (flags: --threads=N --tasks=N)
//
// The job: start, wait until all N have started (so all N exist at once),
// add one to a shared count, finish. A thread is a kernel-scheduled stack
// (8 MiB reserved, some KiB touched) and a context switch per wake; a task
// is a heap cell and a coroutine frame of a few hundred bytes, resumed by a
// function call on one thread. Watch the wall time and the memory per unit:
// the lesson's contrast, measured instead of told.
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "runtime/weft.h"

ABSL_FLAG(int, threads, 2000, "how many OS threads");
ABSL_FLAG(int, tasks, 100000, "how many tasks");

namespace {

using Clock = std::chrono::steady_clock;

// Resident memory now, in KiB (VmRSS from /proc/self/status).
long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct Result {
  double wall_ms;
  long rss_delta_kib;  // while all N were alive
};

Result WithThreads(int n) {
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  bool go = false;
  long count = 0;
  long rss_all_alive = 0;
  const long rss_before = ResidentKiB();
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&] {
      std::unique_lock<std::mutex> lock(mu);
      if (++started == n) cv.notify_all();
      cv.wait(lock, [&] { return go; });
      ++count;
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return started == n; });
    rss_all_alive = ResidentKiB();
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  const double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (count != n) std::fprintf(stderr, "threads: lost work\n");
  return {ms, rss_all_alive - rss_before};
}

Result WithTasks(int n) {
  weft::Runtime runtime;
  const long rss_before = ResidentKiB();
  const auto t0 = Clock::now();
  long rss_all_alive = 0;
  runtime.BlockOn([&]() -> weft::Task<> {
    weft::Notify go;
    long count = 0;
    std::vector<weft::JoinHandle<void>> tasks;
    tasks.reserve(n);
    for (int i = 0; i < n; ++i) {
      tasks.push_back(weft::Spawn([&]() -> weft::Task<> {
        co_await go.Notified();
        ++count;
      }));
    }
    co_await weft::YieldNow();  // every task has started and parked
    rss_all_alive = ResidentKiB();
    go.NotifyWaiters();
    for (auto& t : tasks) co_await t;
    if (count != n) std::fprintf(stderr, "tasks: lost work\n");
  });
  const double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return {ms, rss_all_alive - rss_before};
}

void Print(const char* what, int n, const Result& r) {
  std::printf(
      "%-8s n=%-7d wall %9.1f ms  (%7.2f us each)  memory %8ld KiB"
      "  (%7.0f bytes each)\n",
      what, n, r.wall_ms, r.wall_ms * 1000 / n, r.rss_delta_kib,
      r.rss_delta_kib * 1024.0 / n);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int threads = absl::GetFlag(FLAGS_threads);
  const int tasks = absl::GetFlag(FLAGS_tasks);
  // Threads first: their stacks are unmapped when they are joined, while
  // freed task cells stay in malloc's heap and would hide thread memory.
  Print("threads", threads, WithThreads(threads));
  Print("tasks", tasks, WithTasks(tasks));
  return 0;
}
