// UdpSocket: datagrams go whole from one socket to another, connected or
// not; a datagram larger than the buffer is reported, never cut silently;
// Peek leaves it; a receive waits for one to arrive; IPv6 works; options
// and bad arguments get clear answers.
#include "net/udp_socket.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using namespace std::string_view_literals;
using net::SocketAddr;
using net::UdpSocket;

Task<UdpSocket> BindUdp(std::string addr = "127.0.0.1:0") {
  absl::StatusOr<UdpSocket> socket = co_await UdpSocket::Bind(addr);
  EXPECT_TRUE(socket.ok()) << socket.status();
  UdpSocket out = *std::move(socket);
  co_return out;
}

TEST(UdpSocket, SendToAndRecvFromCarryWholeDatagramsAndTheSender) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket a = co_await BindUdp();
    UdpSocket b = co_await BindUdp();
    EXPECT_EQ(*co_await a.SendTo("first"sv, b.LocalAddr()), 5u);
    EXPECT_EQ(*co_await a.SendTo(""sv, b.LocalAddr()), 0u);  // empty is one
    EXPECT_EQ(*co_await a.SendTo("third!"sv, b.LocalAddr()), 6u);
    char buf[64];
    for (std::string_view want : {"first"sv, ""sv, "third!"sv}) {
      auto got = co_await b.RecvFrom(buf);
      EXPECT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(std::string_view(buf, got->first), want);
      EXPECT_EQ(got->second, a.LocalAddr());
    }
  });
}

TEST(UdpSocket, AReceiveWaitsForTheDatagram) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket a = co_await BindUdp();
    UdpSocket b = co_await BindUdp();
    auto receiver = Spawn([&b]() -> Task<std::string> {
      char buf[16];
      auto got = co_await b.RecvFrom(buf);
      co_return std::string(buf, got.ok() ? got->first : 0);
    });
    co_await YieldNow();  // the receiver has parked on the empty socket
    EXPECT_TRUE((co_await a.SendTo("late"sv, b.LocalAddr())).ok());
    EXPECT_EQ(*co_await receiver, "late");
  });
}

TEST(UdpSocket, ConnectedSocketsSendAndRecvWithTheirPeer) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket a = co_await BindUdp();
    UdpSocket b = co_await BindUdp();
    UdpSocket stranger = co_await BindUdp();
    // Not connected yet: Send has nobody to send to.
    absl::StatusOr<size_t> early = co_await a.Send("x"sv);
    EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(a.Connect(b.LocalAddr()).ok());
    EXPECT_TRUE(b.Connect(a.LocalAddr()).ok());
    EXPECT_EQ(*a.PeerAddr(), b.LocalAddr());
    // A connected socket hears its peer alone: the stranger's goes.
    EXPECT_TRUE((co_await stranger.SendTo("noise"sv, b.LocalAddr())).ok());
    EXPECT_TRUE((co_await a.Send("ping"sv)).ok());
    char buf[16];
    EXPECT_EQ(std::string_view(buf, *co_await b.Recv(buf)), "ping");
    EXPECT_TRUE((co_await b.Send("pong"sv)).ok());
    EXPECT_EQ(std::string_view(buf, *co_await a.Recv(buf)), "pong");
  });
}

TEST(UdpSocket, ADatagramLargerThanTheBufferIsReportedNotCut) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket a = co_await BindUdp();
    UdpSocket b = co_await BindUdp();
    const std::string big = testing::Payload(1, 100);
    EXPECT_TRUE((co_await a.SendTo(big, b.LocalAddr())).ok());
    EXPECT_TRUE((co_await a.SendTo("small"sv, b.LocalAddr())).ok());
    char buf[10];
    auto got = co_await b.RecvFrom(buf);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_EQ(got.status().message(), "recv_from " + b.LocalAddr().ToString() +
                                          ": a datagram of 100 bytes from " +
                                          a.LocalAddr().ToString() +
                                          " does not fit 10");
    EXPECT_EQ(std::string_view(buf, 10), big.substr(0, 10));
    // It was consumed; the next one is whole.
    got = co_await b.RecvFrom(buf);
    EXPECT_EQ(std::string_view(buf, got->first), "small");
  });
}

TEST(UdpSocket, PeekLeavesTheDatagramForTheNextReceive) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket a = co_await BindUdp();
    UdpSocket b = co_await BindUdp();
    EXPECT_TRUE((co_await a.SendTo("again"sv, b.LocalAddr())).ok());
    char buf[16];
    auto peeked = co_await b.PeekFrom(buf);
    EXPECT_EQ(std::string_view(buf, peeked->first), "again");
    EXPECT_EQ(peeked->second, a.LocalAddr());
    auto got = co_await b.RecvFrom(buf);
    EXPECT_EQ(std::string_view(buf, got->first), "again");
  });
}

TEST(UdpSocket, WorksOverIpv6) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    absl::StatusOr<UdpSocket> a = co_await UdpSocket::Bind("[::1]:0");
    if (!a.ok()) {
      // A machine without IPv6 loopback: nothing to test here.
      EXPECT_NE(a.status().message().find("bind [::1]:0"), std::string::npos);
      co_return;
    }
    absl::StatusOr<UdpSocket> b = co_await UdpSocket::Bind("[::1]:0");
    EXPECT_TRUE((co_await a->SendTo("six"sv, b->LocalAddr())).ok());
    char buf[8];
    auto got = co_await b->RecvFrom(buf);
    EXPECT_EQ(std::string_view(buf, got->first), "six");
    EXPECT_EQ(got->second, a->LocalAddr());
  });
}

TEST(UdpSocket, OptionsAndBadArgumentsGetClearAnswers) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    UdpSocket socket = co_await BindUdp();
    EXPECT_FALSE(*socket.Broadcast());
    EXPECT_TRUE(socket.SetBroadcast(true).ok());
    EXPECT_TRUE(*socket.Broadcast());
    EXPECT_TRUE(socket.SetTtl(7).ok());
    EXPECT_TRUE(socket.SetMulticastLoopV4(true).ok());
    EXPECT_TRUE(socket.SetMulticastTtlV4(2).ok());
    absl::Status bad = socket.JoinMulticastV4("not an address");
    EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(bad.message(),
              "join_multicast_v4: 'not an address' is not an IPv4 address");
    EXPECT_EQ(socket.JoinMulticastV6("::zz", 0).code(),
              absl::StatusCode::kInvalidArgument);
    // A datagram to an address of the other family is refused by the
    // kernel, and the error names where it was going.
    absl::StatusOr<size_t> sent =
        co_await socket.SendTo("x"sv, *SocketAddr::Parse("[::1]:9"));
    EXPECT_FALSE(sent.ok());
    EXPECT_NE(sent.status().message().find("send_to [::1]:9"),
              std::string::npos)
        << sent.status();
    EXPECT_FALSE(socket.PeerAddr().ok());
    // Binding an address that is not ours fails, naming it.
    absl::StatusOr<UdpSocket> foreign = co_await UdpSocket::Bind("192.0.2.1:0");
    EXPECT_FALSE(foreign.ok());
    EXPECT_NE(foreign.status().message().find("bind 192.0.2.1:0"),
              std::string::npos)
        << foreign.status();
  });
}

}  // namespace
}  // namespace weft
