// RwLock: readers share, a writer excludes, and a waiting writer is not
// starved by readers that come after it (tokio's fairness).
#include "runtime/sync/rw_lock.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(RwLock, ReadersHoldTheLockTogether) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    RwLock<int> lock(5);
    int reading = 0, most_reading = 0;
    std::vector<JoinHandle<void>> readers;
    for (int i = 0; i < 3; ++i) {
      readers.push_back(Spawn([&]() -> Task<> {
        auto r = co_await lock.Read();
        EXPECT_EQ(*r, 5);
        most_reading = std::max(most_reading, ++reading);
        co_await YieldNow();  // the others come in meanwhile
        --reading;
      }));
    }
    for (auto& r : readers) co_await r;
    EXPECT_EQ(most_reading, 3);
  });
}

TEST(RwLock, AWriterWaitsForTheReadersAndExcludesEveryone) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    RwLock<std::string> lock("a");
    std::optional<RwLock<std::string>::ReadGuard> reader = lock.TryRead();
    EXPECT_TRUE(reader.has_value());
    EXPECT_FALSE(lock.TryWrite().has_value());
    auto writer = Spawn([&]() -> Task<> {
      auto w = co_await lock.Write();
      *w += "b";
    });
    co_await YieldNow();
    EXPECT_FALSE(writer.IsFinished());  // a reader holds the lock
    reader.reset();
    co_await writer;
    EXPECT_EQ(*(co_await lock.Read()), "ab");
  });
}

TEST(RwLock, AWaitingWriterIsNotOvertakenByLaterReaders) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    RwLock<int> lock(0);
    std::vector<std::string> order;
    std::optional<RwLock<int>::ReadGuard> first = lock.TryRead();
    auto writer = Spawn([&]() -> Task<> {
      auto w = co_await lock.Write();
      order.push_back("write");
    });
    co_await YieldNow();                       // the writer waits for `first`
    EXPECT_FALSE(lock.TryRead().has_value());  // no barging past it
    auto late_reader = Spawn([&]() -> Task<> {
      auto r = co_await lock.Read();
      order.push_back("read");
    });
    co_await YieldNow();
    EXPECT_TRUE(order.empty());
    first.reset();
    co_await writer;
    co_await late_reader;
    EXPECT_EQ(order, (std::vector<std::string>{"write", "read"}));
  });
}

}  // namespace
}  // namespace weft
