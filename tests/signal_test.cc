// Signals as awaitables: delivery wakes every listener, nothing is lost
// while nobody waits, and the signal does not kill the process.
#include "runtime/signal/signal.h"

#include <signal.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

TEST(Signal, DeliveryWakesTheListener) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto usr1 = Signal::Listen(SIGUSR1);
    EXPECT_TRUE(usr1.ok()) << usr1.status();
    auto waiting = Spawn([&]() -> Task<> { co_await usr1->Recv(); });
    co_await YieldNow();
    EXPECT_FALSE(waiting.IsFinished());
    raise(SIGUSR1);  // blocked on this thread: pending, read via signalfd
    co_await waiting;
  });
}

TEST(Signal, EveryListenerReceivesEveryDelivery) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto a = Signal::Listen(SIGUSR2);
    auto b = Signal::Listen(SIGUSR2);
    EXPECT_TRUE(a.ok() && b.ok());
    auto wait_a = Spawn([&]() -> Task<> { co_await a->Recv(); });
    auto wait_b = Spawn([&]() -> Task<> { co_await b->Recv(); });
    co_await YieldNow();
    raise(SIGUSR2);
    co_await wait_a;
    co_await wait_b;
  });
}

TEST(Signal, ADeliveryWhileNobodyWaitsIsNotLost) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto hup = Signal::Listen(SIGHUP);
    EXPECT_TRUE(hup.ok());
    raise(SIGHUP);
    raise(SIGHUP);         // coalesces with the first
    co_await hup->Recv();  // completes: the deliveries were recorded
    auto again = Spawn([&]() -> Task<> { co_await hup->Recv(); });
    co_await YieldNow();
    EXPECT_FALSE(again.IsFinished());  // both were consumed by one Recv
    again.Abort();
  });
}

TEST(Signal, CtrlCCompletesOnSigint) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto ctrl_c = Spawn(CtrlC());
    co_await YieldNow();  // listening
    raise(SIGINT);        // would end the process if it were not handled
    co_await ctrl_c;
  });
}

TEST(Signal, AnInvalidSignalIsAnError) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto bad = Signal::Listen(12345);
    EXPECT_TRUE(absl::IsInvalidArgument(bad.status())) << bad.status();
    co_return;
  });
}

// A blocking-pool thread started before Listen() must not take the signal:
// it used to inherit an unblocked mask, and a process-directed SIGTERM then
// killed the process (exit 143) instead of reaching the listener.
TEST(Signal, APoolThreadStartedBeforeListenDoesNotTakeTheSignal) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    JoinResult<int> ran = co_await SpawnBlocking([] { return 1; });
    EXPECT_EQ(*ran, 1);  // the pool thread now idles, waiting for work
    absl::StatusOr<Signal> term = Signal::Listen(SIGTERM);
    EXPECT_TRUE(term.ok()) << term.status();
    for (int i = 0; i < 3; ++i) {
      kill(getpid(), SIGTERM);  // to the process: any thread may take it
      co_await term->Recv();
    }
  });
}

}  // namespace
}  // namespace weft
