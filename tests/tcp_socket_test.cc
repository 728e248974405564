// TcpSocket: options set before connecting or listening take effect and
// read back; SO_REUSEPORT lets two listeners share a port; a client can
// pick its source address; errors name the option and the address. And
// TcpStream::Peek shows bytes without taking them.
#include "net/tcp_socket.h"

#include <chrono>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "net/io_ext.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using namespace std::chrono_literals;
using namespace std::string_view_literals;
using net::SocketAddr;
using net::TcpListener;
using net::TcpSocket;
using net::TcpStream;

TEST(TcpSocket, OptionsReadBackWhatWasSet) {
  absl::StatusOr<TcpSocket> socket = TcpSocket::NewV4();
  ASSERT_TRUE(socket.ok()) << socket.status();
  EXPECT_TRUE(socket->SetReuseAddr(true).ok());
  EXPECT_TRUE(*socket->ReuseAddr());
  EXPECT_TRUE(socket->SetReusePort(true).ok());
  EXPECT_TRUE(*socket->ReusePort());
  EXPECT_TRUE(socket->SetKeepAlive(true).ok());
  EXPECT_TRUE(*socket->KeepAlive());
  EXPECT_TRUE(socket->SetNoDelay(true).ok());
  EXPECT_TRUE(*socket->NoDelay());
  EXPECT_EQ(*socket->Linger(), std::nullopt);
  EXPECT_TRUE(socket->SetLinger(3s).ok());
  EXPECT_EQ(*socket->Linger(), std::optional<std::chrono::seconds>(3s));
  EXPECT_TRUE(socket->SetSendBufferSize(64 * 1024).ok());
  EXPECT_GE(*socket->SendBufferSize(), 64 * 1024);  // the kernel doubles it
  EXPECT_TRUE(socket->SetRecvBufferSize(64 * 1024).ok());
  EXPECT_GE(*socket->RecvBufferSize(), 64 * 1024);
}

TEST(TcpSocket, ReusePortLetsTwoListenersShareAPort) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpSocket first = *TcpSocket::NewV4();
    EXPECT_TRUE(first.SetReusePort(true).ok());
    EXPECT_TRUE(first.Bind(*SocketAddr::Parse("127.0.0.1:0")).ok());
    const SocketAddr addr = *first.LocalAddr();
    absl::StatusOr<TcpListener> a = std::move(first).Listen(16);
    EXPECT_TRUE(a.ok()) << a.status();
    TcpSocket second = *TcpSocket::NewV4();
    EXPECT_TRUE(second.SetReusePort(true).ok());
    EXPECT_TRUE(second.Bind(addr).ok());
    absl::StatusOr<TcpListener> b = std::move(second).Listen(16);
    EXPECT_TRUE(b.ok()) << b.status();
    // Without the option, the port is taken, and the error says where.
    TcpSocket third = *TcpSocket::NewV4();
    absl::Status taken = third.Bind(addr);
    EXPECT_EQ(taken.code(), absl::StatusCode::kFailedPrecondition) << taken;
    EXPECT_NE(taken.message().find("bind " + addr.ToString()),
              std::string::npos)
        << taken;
    co_return;
  });
}

TEST(TcpSocket, AClientBindsItsSourceThenConnects) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    TcpSocket client = *TcpSocket::NewV4();
    EXPECT_TRUE(client.Bind(*SocketAddr::Parse("127.0.0.1:0")).ok());
    const SocketAddr source = *client.LocalAddr();
    absl::StatusOr<TcpStream> stream =
        co_await std::move(client).Connect(listener.LocalAddr());
    EXPECT_TRUE(stream.ok()) << stream.status();
    auto accepted = co_await listener.Accept();
    EXPECT_EQ(accepted->second, source);  // the server saw our pick
  });
}

TEST(TcpSocket, ConnectingToNobodyNamesTheAddress) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    // A port that was free a moment ago: bind one, note it, let it go.
    SocketAddr addr;
    {
      TcpListener l = co_await testing::BindLoopback();
      addr = l.LocalAddr();
    }
    absl::StatusOr<TcpStream> stream =
        co_await (*TcpSocket::For(addr)).Connect(addr);
    EXPECT_EQ(stream.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(stream.status().message(),
              "connect " + addr.ToString() + ": Connection refused");
  });
}

TEST(TcpStream, PeekShowsBytesWithoutTakingThem) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await testing::BindLoopback();
    absl::StatusOr<TcpStream> client =
        co_await TcpStream::Connect(listener.LocalAddr());
    auto accepted = co_await listener.Accept();
    TcpStream& server = accepted->first;
    EXPECT_TRUE((co_await io::WriteAll(*client, "GET /"sv)).ok());
    char buf[16];
    absl::StatusOr<size_t> n = co_await server.Peek(buf);
    EXPECT_EQ(std::string_view(buf, *n), "GET /");
    std::string all(5, '\0');
    EXPECT_TRUE((co_await io::ReadExact(server, all)).ok());
    EXPECT_EQ(all, "GET /");  // the same bytes, still there
  });
}

}  // namespace
}  // namespace weft
