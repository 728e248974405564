// The lesson's blocking exercise: an echo handler written with plain
// blocking read/write, on a socket taken out of the runtime with IntoFd().
//
// Inside SpawnBlocking, each connection gets a pool thread and clients are
// served concurrently. Run directly on the runtime thread, the same
// handler blocks that thread: the next client is not even accepted, and no
// other task runs, until the first client leaves.
//
// The clients here are plain blocking sockets on std::threads, since the
// runtime thread is exactly what the second server blocks.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

// Echoes until EOF with blocking syscalls; closes the socket.
void BlockingEcho(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
    if (send(fd, buf, n, MSG_NOSIGNAL) != n) break;
  }
  close(fd);
}

// A blocking client socket with a receive timeout.
int Dial(uint16_t port, int timeout_ms) {
  const int fd = testing::ConnectLoopbackBlocking(port);
  EXPECT_GE(fd, 0) << "connect to port " << port;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Sends `msg` and reads the echo; "" if none came within the timeout.
std::string RoundTrip(int fd, const std::string& msg) {
  EXPECT_EQ(send(fd, msg.data(), msg.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(msg.size()));
  std::string got(msg.size(), '\0');
  size_t have = 0;
  while (have < got.size()) {
    const ssize_t n = read(fd, got.data() + have, got.size() - have);
    if (n <= 0) return "";
    have += n;
  }
  return got;
}

TEST(BlockingEcho, InsideSpawnBlockingClientsAreServedConcurrently) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    auto server = Spawn([&]() -> Task<> {
      for (;;) {
        auto accepted = co_await listener.Accept();
        if (!accepted.ok()) co_return;
        const int fd = std::move(accepted->first).IntoFd();
        SpawnBlocking([fd] { BlockingEcho(fd); });
      }
    });
    const uint16_t port = listener.LocalAddr().port();
    // Both clients are connected at once; the second is answered while
    // the first is still open.
    auto clients = SpawnBlocking([port] {
      const int first = Dial(port, 5000);
      EXPECT_EQ(RoundTrip(first, "first"), "first");
      const int second = Dial(port, 5000);
      EXPECT_EQ(RoundTrip(second, "second"), "second");
      EXPECT_EQ(RoundTrip(first, "again"), "again");
      close(second);
      close(first);
    });
    EXPECT_TRUE((co_await clients).ok());
    server.Abort();
  });
}

TEST(BlockingEcho, OnTheRuntimeThreadItStallsEverythingElse) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    std::atomic<int> heartbeats{0};
    auto heartbeat = Spawn([&]() -> Task<> {
      for (;;) {
        heartbeats.fetch_add(1);
        co_await Sleep(std::chrono::milliseconds(1));
      }
    });
    auto server = Spawn([&]() -> Task<> {
      for (;;) {
        auto accepted = co_await listener.Accept();
        if (!accepted.ok()) co_return;
        // The mistake: blocking calls on the runtime thread.
        BlockingEcho(std::move(accepted->first).IntoFd());
      }
    });
    const uint16_t port = listener.LocalAddr().port();
    std::atomic<int> beats_during_stall{-1};
    std::thread clients([&] {
      const int first = Dial(port, 5000);
      EXPECT_EQ(RoundTrip(first, "first"), "first");
      // The server is now inside read() for `first`. A second client gets
      // no answer within 300 ms (a window in which a free runtime would
      // answer thousands of times), and the heartbeat task stops.
      const int before = heartbeats.load();
      const int second = Dial(port, 300);
      EXPECT_EQ(RoundTrip(second, "second"), "");
      beats_during_stall = heartbeats.load() - before;
      close(first);  // the handler returns; the runtime thread is free
      close(second);
    });
    while (beats_during_stall.load() < 0) co_await YieldNow();
    clients.join();
    EXPECT_EQ(beats_during_stall.load(), 0);
    heartbeat.Abort();
    server.Abort();
  });
}

}  // namespace
}  // namespace weft
