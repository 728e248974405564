// Spawn: the lesson's point — a spawned task runs concurrently with its
// spawner, which is not blocked by it.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using testing::Event;

TEST(Spawn, SpawnerCarriesOnWhileTaskRuns) {
  Runtime rt;
  std::vector<std::string> log;
  rt.BlockOn([&]() -> Task<> {
    Event ping, pong;
    auto child = Spawn([&]() -> Task<> {
      log.push_back("child started");
      ping.Set();
      co_await pong.Wait();
      log.push_back("child finished");
    });
    log.push_back("spawner continues");  // Spawn returned before child ran
    co_await ping.Wait();
    log.push_back("spawner saw child");
    pong.Set();
    co_await child;
    log.push_back("joined");
  });
  EXPECT_EQ(log, (std::vector<std::string>{"spawner continues", "child started",
                                           "spawner saw child",
                                           "child finished", "joined"}));
}

TEST(Spawn, DroppedHandleDetachesAndTaskStillFinishes) {
  Runtime rt;
  bool finished = false;
  Event go;
  rt.BlockOn([&]() -> Task<> {
    {
      auto dropped = Spawn([&]() -> Task<> {
        co_await go.Wait();
        finished = true;
      });
    }
    go.Set();
    // Give the detached task its turn; it was woken by go.Set().
    co_await YieldNow();
  });
  EXPECT_TRUE(finished);
}

TEST(Spawn, CallableCapturesLiveAsLongAsTheTask) {
  Runtime rt;
  testing::LifeCounter counter;
  Event go;
  int seen = 0;
  rt.BlockOn([&]() -> Task<> {
    auto handle =
        Spawn([tracked = testing::Tracked(&counter),
               value = std::make_unique<int>(42), &go, &seen]() -> Task<> {
          co_await go.Wait();  // captures must still be there after parking
          seen = *value;
        });
    co_await YieldNow();
    EXPECT_EQ(counter.alive, 1);
    go.Set();
    co_await handle;
  });
  EXPECT_EQ(seen, 42);
  EXPECT_EQ(counter.alive, 0);
}

Task<int> Add(const std::string& a, int b) {
  co_await YieldNow();
  co_return static_cast<int>(a.size()) + b;
}

TEST(Spawn, ArgumentsAreStoredWithTheTask) {
  Runtime rt;
  int sum = rt.BlockOn([]() -> Task<int> {
    // `Add` takes a reference: it must point into the task, not at a
    // temporary that died when Spawn returned.
    auto handle = Spawn(Add, std::string("four"), 3);
    co_return (co_await handle).value();
  });
  EXPECT_EQ(sum, 7);
}

TEST(Spawn, OutsideARuntimeThrowsAndSaysWhy) {
  try {
    auto handle = Spawn([]() -> Task<> { co_return; });
    FAIL() << "Spawn outside a runtime must throw";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("no runtime"), std::string::npos)
        << e.what();
  }
}

TEST(Spawn, RuntimeSpawnFromOutsideRunsDuringBlockOn) {
  Runtime rt;
  auto handle = rt.Spawn([]() -> Task<int> { co_return 5; });
  EXPECT_FALSE(handle.IsFinished());
  int v = rt.BlockOn([&]() -> Task<int> { co_return *(co_await handle); });
  EXPECT_EQ(v, 5);
}

TEST(Spawn, BlockOnInsideBlockOnThrows) {
  Runtime rt;
  Runtime inner;
  EXPECT_THROW(rt.BlockOn([&]() -> Task<> {
    inner.BlockOn([]() -> Task<> { co_return; });
    co_return;
  }),
               std::logic_error);
}

TEST(Spawn, HandleFromCurrentSpawns) {
  Runtime rt;
  int v = rt.BlockOn([]() -> Task<int> {
    auto handle = Runtime::Current().Spawn([]() -> Task<int> { co_return 9; });
    co_return *(co_await handle);
  });
  EXPECT_EQ(v, 9);
}

}  // namespace
}  // namespace weft
