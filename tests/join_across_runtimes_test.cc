// A JoinHandle awaited by a task of another runtime, on another thread, as
// tokio's JoinHandle (Send) may be: the join waker is published through
// the task's state word (join_handle.h, rules 3-5), so the await works
// whether the task completes before, during or after the awaiter parks.
// TSan checks the rounds for races on the waker and the output. Public
// headers only.
#include <future>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::JoinHandle;
using weft::JoinResult;
using weft::Runtime;
using weft::Task;

// A runtime driven by a thread of its own until Stop().
class OtherRuntime {
 public:
  OtherRuntime() {
    auto [tx, rx] = weft::oneshot::Channel<int>();
    stop_ = std::move(tx);
    std::promise<Runtime::Handle> handle;
    std::future<Runtime::Handle> got = handle.get_future();
    thread_ = std::thread([this, rx = std::move(rx), &handle]() mutable {
      rt_.BlockOn([&]() -> Task<> {
        handle.set_value(Runtime::Current());
        (void)co_await rx;
      });
    });
    handle_.emplace(got.get());
  }
  ~OtherRuntime() {
    stop_->Send(0).IgnoreError();
    thread_.join();
  }
  const Runtime::Handle& handle() const { return *handle_; }

 private:
  Runtime rt_;
  std::optional<weft::oneshot::Sender<int>> stop_;
  std::optional<Runtime::Handle> handle_;
  std::thread thread_;
};

TEST(JoinAcrossRuntimes, ATaskOfAnotherRuntimeIsJoinedFromThisOne) {
  OtherRuntime other;
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    // Rounds that complete before, while and after this task parks.
    for (int i = 0; i < 2000; ++i) {
      JoinHandle<int> handle = other.handle().Spawn([i]() -> Task<int> {
        if (i % 2 == 0) co_await weft::YieldNow();
        co_return i;
      });
      JoinResult<int> result = co_await handle;
      EXPECT_TRUE(result.ok());
      if (!result.ok()) co_return;
      EXPECT_EQ(*result, i);
    }
  });
}

TEST(JoinAcrossRuntimes, AnAwaitCancelledThereLeavesTheTaskJoinableLater) {
  OtherRuntime other;
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    for (int i = 0; i < 500; ++i) {
      auto [go_tx, go_rx] = weft::oneshot::Channel<int>();
      JoinHandle<int> handle = other.handle().Spawn(
          [](weft::oneshot::Receiver<int> go) -> Task<int> {
            std::optional<int> value = co_await go;
            co_return value.value_or(-1);
          },
          std::move(go_rx));
      // The first await loses to a ready branch: its waker is taken back.
      auto first = co_await weft::SelectBiased(weft::YieldNow(), handle);
      EXPECT_EQ(first.index(), 0u);
      EXPECT_TRUE(go_tx.Send(i).ok());
      JoinResult<int> result = co_await handle;  // awaited again, in full
      EXPECT_TRUE(result.ok());
      if (!result.ok()) co_return;
      EXPECT_EQ(*result, i);
    }
  });
}

TEST(JoinAcrossRuntimes, AnAbortFromHereIsSeenByTheJoinHere) {
  OtherRuntime other;
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    JoinHandle<void> handle = other.handle().Spawn([]() -> Task<> {
      weft::Notify never;
      co_await never.Notified();
    });
    handle.Abort();
    JoinResult<void> result = co_await handle;
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(result.error().IsCancelled());
  });
}

}  // namespace
