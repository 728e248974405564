// SpawnBlocking: blocking work on pool threads, results through the
// cross-thread wake path, the runtime thread free meanwhile.
#include <atomic>
#include <barrier>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

internal::BlockingPool& Pool() {
  return internal::CurrentExecutor("test").blocking();
}

TEST(SpawnBlocking, ResultsComeBackOnTheRuntimeThread) {
  Runtime rt;
  const auto runtime_thread = std::this_thread::get_id();
  rt.BlockOn([&]() -> Task<> {
    std::thread::id ran_on;
    auto h = SpawnBlocking([&] {
      ran_on = std::this_thread::get_id();
      return std::string("computed");
    });
    JoinResult<std::string> r = co_await h;
    EXPECT_EQ(*r, "computed");
    EXPECT_NE(ran_on, runtime_thread);
    EXPECT_EQ(std::this_thread::get_id(), runtime_thread);
    auto v = SpawnBlocking([] {});
    EXPECT_TRUE((co_await v).ok());
  });
}

TEST(SpawnBlocking, ExceptionsComeBackAsFailures) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto h = SpawnBlocking([]() -> int { throw std::out_of_range("pool"); });
    JoinResult<int> r = co_await h;
    EXPECT_TRUE(r.error().IsFailed());
    EXPECT_THROW(r.error().Rethrow(), std::out_of_range);
  });
}

// A hundred jobs block at once; the runtime thread goes on running tasks.
TEST(SpawnBlocking, RuntimeKeepsRunningTasksWhileJobsBlock) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    constexpr int kJobs = 100;
    std::latch all_started(kJobs);
    std::latch release(1);
    std::atomic<int> finished{0};
    std::vector<JoinHandle<void>> jobs;
    for (int i = 0; i < kJobs; ++i) {
      jobs.push_back(SpawnBlocking([&] {
        all_started.count_down();
        release.wait();  // blocks its thread, not the runtime's
        finished.fetch_add(1);
      }));
    }
    // Meanwhile, ordinary tasks run: a thousand yields and a join.
    int steps = 0;
    auto worker = Spawn([&]() -> Task<> {
      for (int i = 0; i < 1000; ++i) {
        ++steps;
        co_await YieldNow();
      }
    });
    co_await worker;
    EXPECT_EQ(steps, 1000);
    all_started.wait();  // (a pool thread per job: the cap is 512)
    EXPECT_EQ(finished.load(), 0);
    EXPECT_GE(Pool().threads(), size_t{kJobs});
    release.count_down();
    for (auto& j : jobs) co_await j;
    EXPECT_EQ(finished.load(), kJobs);
  });
}

TEST(SpawnBlocking, ThePoolNeverExceedsItsCap) {
  RuntimeOptions options;
  options.max_blocking_threads = 4;
  Runtime rt(options);
  rt.BlockOn([]() -> Task<> {
    // Jobs meet in fours: with fewer than 4 threads this would never
    // finish; more than 4 would show in the peak.
    std::barrier<> four(4);
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    std::vector<JoinHandle<void>> jobs;
    for (int i = 0; i < 20; ++i) {
      jobs.push_back(SpawnBlocking([&] {
        const int now = running.fetch_add(1) + 1;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        four.arrive_and_wait();
        running.fetch_sub(1);
      }));
    }
    for (auto& j : jobs) co_await j;
    EXPECT_EQ(Pool().peak_threads(), 4u);
    EXPECT_LE(most.load(), 4);
  });
}

TEST(SpawnBlocking, ShutdownWithJobsInFlightNeitherHangsNorLeaks) {
  std::latch release(1);
  std::latch done(2);  // the two jobs that were running
  {
    RuntimeOptions options;
    options.max_blocking_threads = 2;
    options.blocking_shutdown_timeout = std::chrono::milliseconds(50);
    Runtime rt(options);
    rt.BlockOn([&]() -> Task<> {
      std::latch running(2);
      for (int i = 0; i < 10; ++i) {  // 2 run, 8 wait in the queue
        SpawnBlocking([&] {
          running.count_down();
          release.wait();
          done.count_down();
        });
      }
      co_await YieldNow();  // the tasks submit their jobs
      running.wait();
    });
  }  // returns after the 50 ms shutdown timeout, not when the jobs end
  release.count_down();
  done.wait();  // the two running jobs finish after the runtime is gone
}

TEST(SpawnBlocking, IdleThreadsExit) {
  RuntimeOptions options;
  options.blocking_keep_alive = std::chrono::milliseconds(1);
  Runtime rt(options);
  rt.BlockOn([]() -> Task<> {
    co_await SpawnBlocking([] {});
    EXPECT_EQ(Pool().peak_threads(), 1u);
    while (Pool().threads() != 0) co_await Sleep(std::chrono::milliseconds(1));
  });
}

}  // namespace
}  // namespace weft
