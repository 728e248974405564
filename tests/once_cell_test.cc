// OnceCell: the initializer runs once for any number of concurrent askers,
// and an initializer that fails leaves the cell for the next one.
#include "runtime/sync/once_cell.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(OnceCell, ManyConcurrentAskersRunTheInitializerOnce) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    OnceCell<std::string> cell;
    int runs = 0;
    auto init = [&]() -> Task<std::string> {
      ++runs;
      co_await YieldNow();  // the other askers arrive meanwhile
      co_return "value";
    };
    std::vector<JoinHandle<std::string>> askers;
    for (int i = 0; i < 5; ++i) {
      askers.push_back(Spawn([&]() -> Task<std::string> {
        const std::string& v = co_await cell.GetOrInit(init);
        co_return v;
      }));
    }
    for (auto& a : askers) EXPECT_EQ(*(co_await a), "value");
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(*cell.Get(), "value");
    EXPECT_FALSE(cell.Set("other"));
  });
}

TEST(OnceCell, AFailedInitializerLeavesTheCellToTheNext) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    OnceCell<int> cell;
    auto failing = Spawn([&]() -> Task<int> {
      const int& v = co_await cell.GetOrInit([]() -> Task<int> {
        co_await YieldNow();
        throw std::runtime_error("no");
      });
      co_return v;
    });
    auto second = Spawn([&]() -> Task<int> {
      const int& v =
          co_await cell.GetOrInit([]() -> Task<int> { co_return 2; });
      co_return v;
    });
    EXPECT_FALSE((co_await failing).ok());
    EXPECT_EQ(*(co_await second), 2);
    EXPECT_EQ(*cell.Get(), 2);
  });
}

TEST(OnceCell, SetBeforeAnyoneAsksIsWhatEveryoneGets) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    OnceCell<int> cell;
    EXPECT_EQ(cell.Get(), nullptr);
    EXPECT_TRUE(cell.Set(1));
    const int& v = co_await cell.GetOrInit([]() -> Task<int> { co_return 9; });
    EXPECT_EQ(v, 1);
  });
}

}  // namespace
}  // namespace weft
