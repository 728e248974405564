// Join and TryJoin: several awaitables make progress together inside one
// task; Join waits for all, TryJoin stops at the first error and cancels
// the rest where they wait.
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

// Sets `*gone` when its frame is destroyed: shows a branch was cancelled.
struct Sentinel {
  bool* gone;
  ~Sentinel() { *gone = true; }
};

TEST(Join, TheAwaitablesRunConcurrentlyInOneTask) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    // A ping-pong between the two branches: run one after the other, they
    // would wait for each other forever.
    auto [ping_tx, ping_rx] = mpsc::UnboundedChannel<int>();
    auto [pong_tx, pong_rx] = mpsc::UnboundedChannel<int>();
    auto pinger = [](mpsc::UnboundedSender<int>& tx,
                     mpsc::Receiver<int>& rx) -> Task<int> {
      int total = 0;
      for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(tx.Send(i).ok());
        total += *co_await rx.Recv();
      }
      co_return total;
    };
    auto ponger = [](mpsc::Receiver<int>& rx,
                     mpsc::UnboundedSender<int>& tx) -> Task<std::string> {
      for (int i = 0; i < 100; ++i) {
        const int ping = *co_await rx.Recv();
        EXPECT_TRUE(tx.Send(ping * 2).ok());
      }
      co_return "done";
    };
    auto [total, word] =
        co_await Join(pinger(ping_tx, pong_rx), ponger(ping_rx, pong_tx));
    EXPECT_EQ(total, 2 * (99 * 100 / 2));
    EXPECT_EQ(word, "done");
  });
}

TEST(Join, AVoidAwaitableGivesMonostate) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify n;
    n.NotifyOne();
    std::tuple<std::monostate, int> both =
        co_await Join(n.Notified(), []() -> Task<int> { co_return 5; }());
    EXPECT_EQ(std::get<1>(both), 5);
  });
}

TEST(Join, AnExceptionCancelsTheOthersAndPropagates) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify never;
    bool cancelled = false;
    auto waits = [](Notify& n, bool* gone) -> Task<> {
      Sentinel sentinel{gone};
      co_await n.Notified();
    };
    bool threw = false;
    try {
      co_await Join(waits(never, &cancelled), []() -> Task<> {
        co_await YieldNow();
        throw std::runtime_error("boom");
      }());
    } catch (const std::runtime_error&) {
      threw = true;
    }
    EXPECT_TRUE(threw);
    EXPECT_TRUE(cancelled);
  });
}

TEST(TryJoin, AllOkGivesTheValues) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto ok = []() -> Task<absl::StatusOr<int>> { co_return 3; };
    auto done = []() -> Task<absl::Status> { co_return absl::OkStatus(); };
    absl::StatusOr<std::tuple<int, std::monostate>> both =
        co_await TryJoin(ok(), done());
    EXPECT_TRUE(both.ok());
    if (both.ok()) {
      EXPECT_EQ(std::get<0>(*both), 3);
    }
  });
}

TEST(TryJoin, TheFirstErrorCancelsTheRestAndIsReturned) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify never;
    bool cancelled = false;
    auto waits = [](Notify& n, bool* gone) -> Task<absl::StatusOr<int>> {
      Sentinel sentinel{gone};
      co_await n.Notified();
      co_return 1;
    };
    auto fails = []() -> Task<absl::Status> {
      co_await YieldNow();
      co_return absl::NotFoundError("no such key");
    };
    auto both = co_await TryJoin(waits(never, &cancelled), fails());
    EXPECT_EQ(both.status(), absl::NotFoundError("no such key"));
    EXPECT_TRUE(cancelled);
    // The cancelled waiter left nothing registered.
    never.NotifyOne();
    co_await never.Notified();
  });
}

}  // namespace
}  // namespace weft
