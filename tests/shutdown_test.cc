// Shutdown: destroying a runtime with tasks of every kind pending cancels
// them all, runs their destructors and leaks nothing (ASan checks the rest).
#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Shutdown, CancelsEveryKindOfPendingTask) {
  testing::LifeCounter counter;
  JoinHandle<void> outlives_runtime;
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      // Parked on I/O: the pipe never becomes readable.
      outlives_runtime = Spawn([&, t = testing::Tracked(&counter)]() -> Task<> {
        auto reader = AsyncFd::Create(fds[0]);
        EXPECT_TRUE(reader.ok());
        for (;;) {
          co_await reader->Readable();
          char c;
          if (read(reader->fd(), &c, 1) < 0) reader->ClearReadable();
        }
      });
      // Parked on a join handle of a task parked forever.
      auto forever = Spawn([t = testing::Tracked(&counter)]() -> Task<> {
        co_await testing::Forever();
      });
      Spawn(
          [h = std::move(forever),
           t = testing::Tracked(&counter)]() mutable -> Task<> { co_await h; });
      // Detached and never run: still queued when BlockOn returns.
      co_await YieldNow();
      Spawn([t = testing::Tracked(&counter)]() -> Task<> { co_return; });
      co_return;
    });
    EXPECT_EQ(counter.alive, 4);
  }
  EXPECT_EQ(counter.alive, 0);
  EXPECT_TRUE(outlives_runtime.IsFinished());
  close(fds[1]);
}

// The runtime finds its live tasks in an array (owned_tasks.h) where a
// finished task's place goes to the last one. Tasks finishing out of order
// must leave every live one findable: each is cancelled exactly once.
TEST(Shutdown, CancelsEveryLiveTaskWhicheverOthersFinishedFirst) {
  testing::LifeCounter counter;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      std::vector<testing::Event> done(8);
      for (auto& event : done) {
        Spawn([&event, t = testing::Tracked(&counter)]() -> Task<> {
          co_await event.Wait();
        });
      }
      co_await YieldNow();               // all of them parked
      for (int finish : {1, 7, 3, 6}) {  // each moves the last into its gap
        done[finish].Set();
        co_await YieldNow();
      }
      EXPECT_EQ(counter.alive, 4);
    });
    EXPECT_EQ(counter.alive, 4);  // still parked after BlockOn
  }
  EXPECT_EQ(counter.alive, 0);
}

TEST(Shutdown, JoinHandleOfShutDownRuntimeReportsCancelled) {
  JoinHandle<int> handle;
  {
    Runtime rt;
    handle = rt.Spawn([]() -> Task<int> {
      co_await testing::Forever();
      co_return 1;
    });
    rt.BlockOn([]() -> Task<> { co_await YieldNow(); });
  }
  Runtime other;
  other.BlockOn([&]() -> Task<> {
    EXPECT_TRUE(handle.IsFinished());
    // Awaiting is only for the spawning runtime, but a finished handle is
    // ready at once and its output is there to read.
    auto awaiter = handle.operator co_await();
    EXPECT_TRUE(awaiter.await_ready());
    EXPECT_TRUE(awaiter.await_resume().error().IsCancelled());
    co_return;
  });
}

}  // namespace
}  // namespace weft
