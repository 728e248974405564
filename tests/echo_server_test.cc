// The lesson's server under load and under failure: many concurrent
// clients, resets, and running out of file descriptors.
#include "examples/echo_server.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/split.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using net::TcpListener;
using net::TcpStream;

// A client sending `data` in `chunks` pieces while reading the echo.
Task<std::string> EchoClient(net::SocketAddr addr, std::string data,
                             int chunks) {
  auto stream = co_await TcpStream::Connect(addr);
  EXPECT_TRUE(stream.ok()) << stream.status();
  if (!stream.ok()) co_return "";
  // (Named, not a structured binding: clang 14 cannot capture those.)
  auto halves = stream->Split();
  net::ReadHalf& reader = halves.first;
  net::WriteHalf& writer = halves.second;
  auto sender = Spawn([&writer, &data, chunks]() -> Task<> {
    const size_t step = (data.size() + chunks - 1) / chunks;
    for (size_t at = 0; at < data.size(); at += step) {
      auto piece = std::span<const char>(data).subspan(
          at, std::min(step, data.size() - at));
      EXPECT_TRUE((co_await writer.WriteAll(piece)).ok());
      co_await YieldNow();
    }
    EXPECT_TRUE(writer.Shutdown().ok());
  });
  std::string echoed;
  auto n = co_await reader.ReadToEnd(echoed);
  EXPECT_TRUE(n.ok()) << n.status();
  co_await sender;
  co_return echoed;
}

TEST(EchoServer, TwoHundredConcurrentClientsGetEveryByteBack) {
  constexpr int kClients = 200;
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    std::vector<JoinHandle<std::string>> clients;
    std::vector<std::string> sent;
    for (int i = 0; i < kClients; ++i) {
      sent.push_back(testing::Payload(i, 1000 + 997 * i));
      clients.push_back(
          Spawn(EchoClient, listener.LocalAddr(), sent.back(), 5));
    }
    for (int i = 0; i < kClients; ++i) {
      JoinResult<std::string> echoed = co_await clients[i];
      EXPECT_TRUE(echoed.ok());
      EXPECT_TRUE(*echoed == sent[i]) << "client " << i;
    }
    EXPECT_EQ(stats.accepted, uint64_t{kClients});
    server.Abort();
  });
}

TEST(EchoServer, AResettingPeerFailsOnlyItsOwnConnection) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    {
      auto rude = co_await TcpStream::Connect(listener.LocalAddr());
      EXPECT_TRUE(rude.ok());
      std::string big = testing::Payload(1, 1 << 20);
      // Send without reading, then close with unread data pending: the
      // kernel answers with RST instead of FIN.
      EXPECT_TRUE((co_await rude->Write(big)).ok());
      linger hard{1, 0};
      setsockopt(rude->NativeHandle(), SOL_SOCKET, SO_LINGER, &hard,
                 sizeof hard);
    }
    std::string data = testing::Payload(2, 5000);
    EXPECT_EQ(co_await EchoClient(listener.LocalAddr(), data, 3), data);
    // Both connections end on their own; wait for the server to see it.
    while (stats.failed + stats.finished < 2) {
      co_await Sleep(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(stats.finished, 1u);
    EXPECT_EQ(stats.failed, 1u);
    server.Abort();
  });
}

// Running out of descriptors must neither stop the server nor make it spin.
TEST(EchoServer, BacksOffOnEmfileAndRecovers) {
  rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old_limit), 0);
  Runtime rt;
  rt.BlockOn([&]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    // Lower the limit, then hold every descriptor left under it.
    rlimit low = old_limit;
    low.rlim_cur = 256;
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    std::vector<int> hogs;
    for (int fd; (fd = dup(0)) >= 0;) hogs.push_back(fd);
    EXPECT_EQ(errno, EMFILE);
    // Free two: one for the client's socket; the server gets none.
    close(hogs.back());
    hogs.pop_back();
    auto client = co_await TcpStream::Connect(listener.LocalAddr());
    EXPECT_TRUE(client.ok()) << client.status();
    // Now the server's accept fails with EMFILE. Let it try for 300 ms.
    rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    co_await Sleep(std::chrono::milliseconds(300));
    getrusage(RUSAGE_SELF, &after);
    const double cpu_ms =
        (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1e3 +
        (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e3 +
        (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3 +
        (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3;
    EXPECT_GE(stats.accept_backoffs, 1u);
    EXPECT_LE(stats.accept_backoffs, 10u);  // about one per kAcceptBackoff
    EXPECT_LT(cpu_ms, 100.0) << "the accept loop is spinning";
    EXPECT_EQ(stats.accepted, 0u);
    // Free descriptors: the queued client is served.
    for (int fd : hogs) close(fd);
    hogs.clear();
    std::string data = "still here";
    EXPECT_TRUE((co_await client->WriteAll(data)).ok());
    EXPECT_TRUE(client->Shutdown().ok());
    std::string echoed;
    EXPECT_TRUE((co_await client->ReadToEnd(echoed)).ok());
    EXPECT_EQ(echoed, data);
    EXPECT_EQ(stats.accepted, 1u);
    server.Abort();
  });
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old_limit), 0);
}

long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// A client that sends without ever reading: the server's writes back to it
// stop (the socket buffers fill), so it stops reading from it too. Nothing
// buffers without limit, and the other clients do not notice.
TEST(EchoServer, AClientThatNeverReadsIsHeldBackNotBuffered) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    auto rude = co_await TcpStream::Connect(listener.LocalAddr());
    EXPECT_TRUE(rude.ok());
    // 64 MiB, never reading the echo: cannot all go through.
    const std::string flood(64 << 20, 'x');
    const long rss_before = ResidentKiB();
    TimeoutResult<absl::Status> sent =
        co_await Timeout(std::chrono::milliseconds(300), rude->WriteAll(flood));
    EXPECT_TRUE(sent.elapsed()) << *sent;
    // The server holds at most a buffer's worth for it, not megabytes.
    const long grown_kib = ResidentKiB() - rss_before;
    EXPECT_LT(grown_kib, 4 * 1024)
        << "server memory grew by " << grown_kib << " KiB";
    // Meanwhile another client is served as usual.
    std::string data = testing::Payload(9, 100'000);
    EXPECT_EQ(co_await EchoClient(listener.LocalAddr(), data, 4), data);
    server.Abort();
  });
}

TEST(EchoServer, SequentialServerServesOneClientAtATime) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunSequentialEchoServer(listener, &stats));
    auto first = co_await TcpStream::Connect(listener.LocalAddr());
    auto second = co_await TcpStream::Connect(listener.LocalAddr());
    EXPECT_TRUE(first.ok() && second.ok());
    EXPECT_TRUE((co_await first->WriteAll(std::string("one"))).ok());
    EXPECT_TRUE((co_await second->WriteAll(std::string("two"))).ok());
    char buf[3];
    EXPECT_TRUE((co_await first->ReadExact(buf)).ok());
    EXPECT_EQ(std::string(buf, 3), "one");
    // The second client is connected (kernel backlog) but not accepted.
    EXPECT_EQ(stats.accepted, 1u);
    auto waiting = Spawn([&]() -> Task<std::string> {
      char b[3];
      EXPECT_TRUE((co_await second->ReadExact(b)).ok());
      co_return std::string(b, 3);
    });
    // A negative check needs a window: 50 ms in which a concurrent server
    // would have echoed "two" many times over.
    co_await Sleep(std::chrono::milliseconds(50));
    EXPECT_FALSE(waiting.IsFinished());
    EXPECT_TRUE(first->Shutdown().ok());  // the first client leaves
    EXPECT_EQ(*(co_await waiting), "two");
    EXPECT_EQ(stats.accepted, 2u);
    server.Abort();
  });
}

}  // namespace
}  // namespace weft
