// TcpStream: the byte-stream contract — full-duplex transfer, half-close,
// errors that name the operation and the address, no SIGPIPE.
#include "net/tcp_stream.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "net/split.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using net::SocketAddr;
using net::TcpListener;
using net::TcpStream;

// A connected pair over loopback.
Task<std::pair<TcpStream, TcpStream>> ConnectedPair() {
  TcpListener listener = co_await testing::BindLoopback();
  auto client = Spawn(
      [addr = listener.LocalAddr()]() { return TcpStream::Connect(addr); });
  auto accepted = co_await listener.Accept();
  EXPECT_TRUE(accepted.ok()) << accepted.status();
  auto connected = co_await client;
  EXPECT_TRUE(connected->ok()) << connected->status();
  EXPECT_EQ(accepted->second, *(*connected)->LocalAddr());
  co_return std::pair<TcpStream, TcpStream>(std::move(accepted->first),
                                            **std::move(connected));
}

TEST(TcpStream, SixtyFourMebibytesEachWayAtOnceOnTwoHalves) {
  static constexpr size_t kSize = 64 << 20;
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = co_await ConnectedPair();
    const std::string a_sends = testing::Payload(1, kSize);
    const std::string b_sends = testing::Payload(2, kSize);
    // On each end, one task writes while another reads: neither side can
    // finish writing unless the other side reads at the same time.
    auto end = [](TcpStream& s, const std::string& out) -> Task<std::string> {
      auto halves = s.Split();  // (clang 14 cannot capture bindings)
      net::ReadHalf& reader = halves.first;
      net::WriteHalf& writer = halves.second;
      auto write = Spawn([&writer, &out]() -> Task<absl::Status> {
        absl::Status st = co_await writer.WriteAll(out);
        if (st.ok()) st = writer.Shutdown();
        co_return st;
      });
      std::string in;
      auto n = co_await reader.ReadToEnd(in);
      EXPECT_TRUE(n.ok()) << n.status();
      EXPECT_TRUE((*(co_await write)).ok());
      co_return in;
    };
    auto at_a = Spawn(end, std::ref(a), std::cref(a_sends));
    auto at_b = Spawn(end, std::ref(b), std::cref(b_sends));
    std::string a_got = *(co_await at_a);
    std::string b_got = *(co_await at_b);
    EXPECT_EQ(a_got.size(), kSize);
    EXPECT_TRUE(a_got == b_sends);
    EXPECT_TRUE(b_got == a_sends);
  });
}

TEST(TcpStream, HalfCloseDeliversEverythingThenEof) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [server, client] = co_await ConnectedPair();
    EXPECT_TRUE((co_await client.WriteAll(std::string("request"))).ok());
    EXPECT_TRUE(client.Shutdown().ok());
    std::string got;
    EXPECT_EQ(*(co_await server.ReadToEnd(got)), 7u);  // EOF after the data
    EXPECT_EQ(got, "request");
    // The other direction still works after the half-close.
    EXPECT_TRUE((co_await server.WriteAll(std::string("reply"))).ok());
    EXPECT_TRUE(server.Shutdown().ok());
    std::string reply;
    EXPECT_TRUE((co_await client.ReadToEnd(reply)).ok());
    EXPECT_EQ(reply, "reply");
    char c;
    EXPECT_EQ(*(co_await client.Read(std::span<char>(&c, 1))), 0u);  // EOF
  });
}

TEST(TcpStream, ReadExactFailsCleanlyOnEarlyEof) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [server, client] = co_await ConnectedPair();
    EXPECT_TRUE((co_await client.WriteAll(std::string("abc"))).ok());
    EXPECT_TRUE(client.Shutdown().ok());
    char buf[10];
    absl::Status st = co_await server.ReadExact(buf);
    EXPECT_TRUE(absl::IsOutOfRange(st)) << st;
    EXPECT_NE(st.message().find("EOF after 3 of 10 bytes"), std::string::npos)
        << st;
  });
}

TEST(TcpStream, ConnectToAClosedPortNamesTheAddress) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    // Bind a port, then close it: nothing listens there now.
    SocketAddr addr;
    {
      TcpListener l = co_await testing::BindLoopback();
      addr = l.LocalAddr();
    }
    auto s = co_await TcpStream::Connect(addr);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.status().message(),
              "connect " + addr.ToString() + ": Connection refused");
  });
}

TEST(TcpStream, BindToAPortInUseNamesTheAddress) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener first = co_await testing::BindLoopback();
    auto second = co_await TcpListener::Bind(first.LocalAddr());
    EXPECT_FALSE(second.ok());
    EXPECT_EQ(
        second.status().message(),
        "bind " + first.LocalAddr().ToString() + ": Address already in use");
  });
}

TEST(TcpStream, MalformedAddressIsAnErrorNotACrash) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto s = co_await TcpStream::Connect(std::string("127.0.0.1:http"));
    EXPECT_TRUE(absl::IsInvalidArgument(s.status())) << s.status();
    auto l = co_await TcpListener::Bind(std::string("nonsense"));
    EXPECT_TRUE(absl::IsInvalidArgument(l.status())) << l.status();
    EXPECT_NE(l.status().message().find("\"nonsense\""), std::string::npos);
  });
}

// Writing to a peer that has gone: an error status, and the process lives
// (a write() without MSG_NOSIGNAL would have raised SIGPIPE and killed it).
TEST(TcpStream, WriteToAVanishedPeerIsAnErrorNotSigpipe) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [server, client] = co_await ConnectedPair();
    { TcpStream gone = std::move(client); }
    const std::string chunk(64 * 1024, 'x');
    absl::Status st;
    for (int i = 0; i < 100 && st.ok(); ++i) {
      st = co_await server.WriteAll(chunk);
    }
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("write 127.0.0.1:"), std::string::npos) << st;
  });
}

TEST(TcpStream, ReadToEndKeepsWhatArrivedBeforeCancellation) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = co_await ConnectedPair();  // (clang 14: no captured bindings)
    TcpStream& server = pair.first;
    TcpStream& client = pair.second;
    std::string got;
    auto reading = Spawn([&]() -> Task<> {
      auto n = co_await server.ReadToEnd(got);
      ADD_FAILURE() << "no EOF was sent: " << n.status();
    });
    EXPECT_TRUE((co_await client.WriteAll(std::string("partial"))).ok());
    while (got.size() < 7) co_await YieldNow();
    reading.Abort();
    EXPECT_TRUE((co_await reading).error().IsCancelled());
    EXPECT_EQ(got, "partial");
  });
}

TEST(TcpStream, IntoFdAndFromFdHandTheSocketToBlockingCodeAndBack) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [server, client] = co_await ConnectedPair();
    const auto peer = server.PeerAddr();
    int fd = std::move(server).IntoFd();
    // Blocking code owns it now: plain syscalls work on it.
    EXPECT_TRUE((co_await client.WriteAll(std::string("ping"))).ok());
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    char buf[4];
    EXPECT_EQ(read(fd, buf, 4), 4);
    auto back = TcpStream::FromFd(fd);
    EXPECT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->PeerAddr(), peer);
    EXPECT_TRUE((co_await back->WriteAll(std::string("pong"))).ok());
    EXPECT_TRUE((co_await client.ReadExact(buf)).ok());
    EXPECT_EQ(std::string(buf, 4), "pong");
  });
}

TEST(TcpStream, SetNoDelayAndAddresses) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [server, client] = co_await ConnectedPair();
    EXPECT_TRUE(client.SetNoDelay(true).ok());
    EXPECT_EQ(server.PeerAddr(), *client.LocalAddr());
    EXPECT_EQ(client.PeerAddr(), *server.LocalAddr());
  });
}

TEST(TcpStream, OwnedHalvesReuniteAndRefuseStrangers) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = co_await ConnectedPair();
    auto [c, d] = co_await ConnectedPair();
    auto [a_read, a_write] = std::move(a).IntoSplit();
    auto [c_read, c_write] = std::move(c).IntoSplit();
    auto mixed = net::Reunite(a_read, c_write);
    EXPECT_TRUE(absl::IsFailedPrecondition(mixed.status())) << mixed.status();
    auto whole = net::Reunite(a_read, a_write);
    EXPECT_TRUE(whole.ok()) << whole.status();
    // Reunited, not shut down: the stream still writes.
    EXPECT_TRUE((co_await whole->WriteAll(std::string("ok"))).ok());
    char buf[2];
    EXPECT_TRUE((co_await b.ReadExact(buf)).ok());
  });
}

TEST(TcpStream, DroppingTheOwnedWriteHalfShutsDownWriting) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = co_await ConnectedPair();
    auto [a_read, a_write] = std::move(a).IntoSplit();
    { auto dropped = std::move(a_write); }
    std::string got;
    EXPECT_EQ(*(co_await b.ReadToEnd(got)), 0u);  // EOF, not a hang
    // Reading on the remaining half still works.
    EXPECT_TRUE((co_await b.WriteAll(std::string("hi"))).ok());
    char buf[2];
    EXPECT_TRUE((co_await a_read.ReadExact(buf)).ok());
  });
}

// A read under a Timeout that expires is cancelled where it waits and
// loses nothing: the bytes that arrive afterwards are read by the next
// read, and a read that has data finishes inside its deadline.
TEST(TcpStream, ATimedOutReadLosesNoBytes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = co_await ConnectedPair();
    char buf[16];
    TimeoutResult<absl::StatusOr<size_t>> nothing =
        co_await Timeout(std::chrono::milliseconds(5), a.Read(buf));
    EXPECT_TRUE(nothing.elapsed());
    const std::string_view hello = "hello";
    EXPECT_TRUE((co_await b.WriteAll(hello)).ok());
    TimeoutResult<absl::StatusOr<size_t>> got =
        co_await Timeout(std::chrono::seconds(5), a.Read(buf));
    EXPECT_TRUE(got.ok());
    EXPECT_TRUE(got.value().ok());
    EXPECT_EQ(std::string(buf, **got), "hello");
  });
}

TEST(TcpStream, AReadInASelectWinsWhenBytesComeAndLosesNoneWhenItLoses) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = co_await ConnectedPair();
    char buf[16];
    Notify first;
    auto notifier = Spawn([&first]() -> Task<> {
      first.NotifyOne();  // after both branches parked
      co_return;
    });
    auto lost = co_await Select(first.Notified(), a.Read(buf));
    EXPECT_EQ(lost.index(), 0u);  // the read was cancelled where it waited
    co_await notifier;
    EXPECT_TRUE((co_await b.WriteAll(std::string_view("hello"))).ok());
    Notify never;
    auto won = co_await Select(never.Notified(), a.Read(buf));
    EXPECT_EQ(won.index(), 1u);
    if (won.index() == 1) {
      absl::StatusOr<size_t> n = std::get<1>(won);
      EXPECT_TRUE(n.ok());
      EXPECT_EQ(std::string(buf, n.value_or(0)), "hello");
    }
  });
}

}  // namespace
}  // namespace weft
