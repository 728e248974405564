// Mistakes weft reports in words instead of hanging or crashing silently:
// mixing weft's awaitables with coroutines weft does not run, and the other
// way round. Both abort with a message that names the mistake.
#include <coroutine>
#include <exception>
#include <stdexcept>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

// A coroutine type of the user's own, run by nothing of weft's: it starts
// at once and runs until its first suspension.
struct Foreign {
  struct promise_type {
    Foreign get_return_object() {
      return Foreign{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  ~Foreign() {
    if (handle) handle.destroy();
  }
};

Foreign YieldInForeignCoroutine() { co_await YieldNow(); }

class MisuseDeathTest : public ::testing::Test {
 protected:
  // The runtime's tests start threads; re-running the binary for the death
  // is the style that stays correct with threads about.
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(MisuseDeathTest, AWeftAwaitableInACoroutineWeftDoesNotRunAborts) {
  // No task would ever be woken for it: a silent hang otherwise.
  EXPECT_DEATH(YieldInForeignCoroutine(),
               "YieldNow awaited outside a weft task");
}

TEST_F(MisuseDeathTest, AForeignAwaitableInAWeftTaskAborts) {
  // std::suspend_always records nowhere where to resume the task: nothing
  // could ever resume it.
  EXPECT_DEATH(
      Runtime().BlockOn([]() -> Task<> { co_await std::suspend_always{}; }),
      "suspended in an awaitable that is not weft's");
}

Task<> Throws() {
  throw std::runtime_error("boom");
  co_return;
}

TEST_F(MisuseDeathTest, AFrameDestroyedHoldingItsExceptionAborts) {
  // Whoever finishes a frame takes its exception out first (TaskPromiseBase
  // in task.h), so the frame's destructor has nothing to release. A frame
  // finished and destroyed by hand, skipping that, is caught in every build
  // that checks the task transitions.
  if (!internal::kCheckTransitions) GTEST_SKIP() << "checked builds only";
  EXPECT_DEATH(
      {
        auto frame = Throws().Release();
        frame.resume();  // runs to its final suspend, holding the exception
        frame.destroy();
      },
      "destroyed holding the exception");
}

}  // namespace
}  // namespace weft
