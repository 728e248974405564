// AsyncFd and the reactor: readiness wakes the right task, cancellation
// leaves nothing registered, edge-triggered readiness is not lost.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "runtime/sched/executor.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

struct Pipe {
  Pipe() { EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0); }
  ~Pipe() {
    if (fds[1] >= 0) close(fds[1]);
  }
  int fds[2] = {-1, -1};
};

// Reads what is available, parking on EAGAIN (the AsyncFd pattern).
Task<std::string> ReadSome(AsyncFd& fd) {
  for (;;) {
    co_await fd.Readable();
    char buf[64];
    ssize_t n = read(fd.fd(), buf, sizeof buf);
    if (n >= 0) co_return std::string(buf, n);
    EXPECT_EQ(errno, EAGAIN);
    fd.ClearReadable();
  }
}

internal::Reactor& CurrentReactor() {
  return internal::CurrentExecutor("test").reactor();
}

TEST(AsyncFd, ParkedReaderWakesWhenDataArrives) {
  Runtime rt;
  Pipe p;
  rt.BlockOn([&]() -> Task<> {
    auto reader = AsyncFd::Create(p.fds[0]);
    EXPECT_TRUE(reader.ok());
    auto got = Spawn(
        [&]() -> Task<std::string> { co_return co_await ReadSome(*reader); });
    co_await YieldNow();  // the reader tried, got EAGAIN and parked
    EXPECT_FALSE(got.IsFinished());
    EXPECT_EQ(write(p.fds[1], "hello", 5), 5);
    EXPECT_EQ(*(co_await got), "hello");
    // Edge-triggered: a second write is a new edge and wakes it again.
    auto again = Spawn(
        [&]() -> Task<std::string> { co_return co_await ReadSome(*reader); });
    co_await YieldNow();
    EXPECT_EQ(write(p.fds[1], "again", 5), 5);
    EXPECT_EQ(*(co_await again), "again");
  });
}

// A user's own fd type, as the docs tell it: AsyncIo is the whole
// wait-and-retry loop, with any syscall; the task it returns is the
// caller's own.
TEST(AsyncFd, AsyncIoWaitsForDataAndRetriesAfterEagain) {
  Runtime rt;
  Pipe p;
  rt.BlockOn([&]() -> Task<> {
    auto reader = AsyncFd::Create(p.fds[0]);
    EXPECT_TRUE(reader.ok());
    char buf[16];
    int tries = 0;
    auto got = Spawn(reader->AsyncIo<std::string>(
        AsyncFd::Interest::kReadable,
        [&] {
          ++tries;
          return read(reader->fd(), buf, sizeof buf);
        },
        [&](ssize_t n) { return std::string(buf, n < 0 ? 0 : n); }));
    co_await YieldNow();  // tried once, got EAGAIN, parked
    EXPECT_EQ(tries, 1);
    EXPECT_FALSE(got.IsFinished());
    EXPECT_EQ(write(p.fds[1], "hi", 2), 2);
    EXPECT_EQ(*(co_await got), "hi");
    EXPECT_EQ(tries, 2);  // woken by the edge, tried again
  });
}

// TryIo is one try: EAGAIN clears readiness (so the next Readable parks)
// and says nullopt; an error is -errno, not thrown and not retried.
TEST(AsyncFd, TryIoClearsReadinessOnEagainAndReturnsErrorsAsNegativeErrno) {
  Runtime rt;
  Pipe p;
  rt.BlockOn([&]() -> Task<> {
    auto reader = AsyncFd::Create(p.fds[0]);
    EXPECT_TRUE(reader.ok());
    char buf[8];
    auto read_once = [&] { return read(reader->fd(), buf, sizeof buf); };
    EXPECT_EQ(reader->TryIo(AsyncFd::Interest::kReadable, read_once),
              std::nullopt);
    auto parked = Spawn([&]() -> Task<> { co_await reader->Readable(); });
    co_await YieldNow();
    EXPECT_FALSE(parked.IsFinished());  // readiness was cleared
    EXPECT_EQ(write(p.fds[1], "x", 1), 1);
    co_await parked;
    EXPECT_EQ(reader->TryIo(AsyncFd::Interest::kReadable, read_once), 1);
    // A write to a pipe's read end: EBADF, as a negative result.
    EXPECT_EQ(reader->TryIo(AsyncFd::Interest::kWritable,
                            [&] { return write(reader->fd(), "x", 1); }),
              -EBADF);
  });
}

TEST(AsyncFd, OneTaskReadsWhileAnotherWritesTheSameFd) {
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    // An eventfd is readable and writable at once: one fd, two waiters.
    auto fd = AsyncFd::Create(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    EXPECT_TRUE(fd.ok());
    auto reader = Spawn([&]() -> Task<uint64_t> {
      for (;;) {
        co_await fd->Readable();
        eventfd_t v;
        if (eventfd_read(fd->fd(), &v) == 0) co_return v;
        fd->ClearReadable();
      }
    });
    co_await YieldNow();  // reader parked
    auto writer = Spawn([&]() -> Task<> {
      co_await fd->Writable();
      EXPECT_EQ(eventfd_write(fd->fd(), 7), 0);
    });
    co_await writer;
    EXPECT_EQ(*(co_await reader), 7u);
  });
}

TEST(AsyncFd, AbortWhileParkedLeavesNoWakerInTheReactor) {
  Runtime rt;
  Pipe p;
  testing::LifeCounter counter;
  rt.BlockOn([&]() -> Task<> {
    auto reader = AsyncFd::Create(p.fds[0]);
    EXPECT_TRUE(reader.ok());
    auto parked = Spawn([&]() -> Task<> {
      testing::Tracked t(&counter);
      co_await ReadSome(*reader);
      ADD_FAILURE() << "resumed after abort";
    });
    co_await YieldNow();
    // The reactor holds the parked task's waker in the fd's slot.
    EXPECT_EQ(CurrentReactor().waiters(), 1u);
    EXPECT_EQ(counter.alive, 1);
    parked.Abort();
    EXPECT_TRUE((co_await parked).error().IsCancelled());
    EXPECT_EQ(counter.alive, 0);
    EXPECT_EQ(CurrentReactor().waiters(), 0u);
    // Nothing left to wake: data arriving now wakes no one and crashes
    // nothing, and a new reader gets it.
    EXPECT_EQ(write(p.fds[1], "x", 1), 1);
    co_await YieldNow();
    EXPECT_EQ(co_await ReadSome(*reader), "x");
  });
}

TEST(AsyncFd, DestroyingDeregisters) {
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    const size_t before = CurrentReactor().registered();
    {
      Pipe p;
      auto fd = AsyncFd::Create(p.fds[0]);
      EXPECT_TRUE(fd.ok());
      EXPECT_EQ(CurrentReactor().registered(), before + 1);
    }
    EXPECT_EQ(CurrentReactor().registered(), before);
    co_return;
  });
}

TEST(AsyncFd, ReleaseHandsBackAnOpenFd) {
  Runtime rt;
  Pipe p;
  rt.BlockOn([&]() -> Task<> {
    auto fd = AsyncFd::Create(p.fds[0]);
    EXPECT_TRUE(fd.ok());
    int raw = std::move(*fd).Release();
    EXPECT_EQ(raw, p.fds[0]);
    EXPECT_EQ(fcntl(raw, F_GETFD), FD_CLOEXEC);  // still open
    close(raw);
    co_return;
  });
}

TEST(AsyncFd, CreateWithABadFdIsAnError) {
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    auto fd = AsyncFd::Create(-1);
    EXPECT_FALSE(fd.ok());
    EXPECT_NE(fd.status().message().find("epoll_ctl add"), std::string::npos)
        << fd.status();
    co_return;
  });
}

}  // namespace
}  // namespace weft
