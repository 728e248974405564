// The chat example (examples/chat_server.cc), from its clients' side:
// every line reaches every other client prefixed by its sender's name,
// never its own sender; joins and leaves are announced; an empty name is
// the client's address; an over-long line is refused and the chat goes on.
#include <string>
#include <utility>

#include "examples/chat_server.h"
#include "gtest/gtest.h"
#include "net/framed.h"
#include "net/lines_codec.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using namespace std::string_view_literals;
using Lines = io::Framed<net::TcpStream, io::LinesCodec>;

// The next line the client gets ("<error>" or "<eof>" otherwise).
Task<std::string> Hear(Lines& client) {
  std::string line;
  absl::StatusOr<bool> got = co_await client.Next(line);
  if (!got.ok()) co_return "<error> " + got.status().ToString();
  if (!*got) co_return "<eof>";
  co_return line;
}

// Connects and joins as `name`; returns once the server has welcomed it
// (so it is in the room).
Task<Lines> Join(net::SocketAddr addr, std::string name) {
  absl::StatusOr<net::TcpStream> stream =
      co_await net::TcpStream::Connect(addr);
  EXPECT_TRUE(stream.ok()) << stream.status();
  Lines client(*std::move(stream), io::LinesCodec(1 << 16));
  EXPECT_EQ(co_await Hear(client), "Please enter your username:");
  EXPECT_TRUE((co_await client.Send(name)).ok());
  const std::string shown =
      name.empty() ? client.inner().LocalAddr()->ToString() : name;
  EXPECT_EQ(co_await Hear(client), "Welcome, " + shown + "!");
  co_return client;
}

TEST(Chat, LinesReachEveryOtherClientAndJoinsAndLeavesAreAnnounced) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    const net::SocketAddr addr = listener.LocalAddr();
    auto server = Spawn(examples::ServeChat(listener));

    Lines alice = co_await Join(addr, "alice");
    Lines bob = co_await Join(addr, "bob");
    EXPECT_EQ(co_await Hear(alice), "bob has joined the chat");

    EXPECT_TRUE((co_await alice.Send("hello"sv)).ok());
    EXPECT_EQ(co_await Hear(bob), "alice: hello");
    EXPECT_TRUE((co_await bob.Send("hi alice"sv)).ok());
    EXPECT_EQ(co_await Hear(alice), "bob: hi alice");  // not "alice: hello"

    Lines anonymous = co_await Join(addr, "");
    const std::string anon = anonymous.inner().LocalAddr()->ToString();
    EXPECT_EQ(co_await Hear(alice), anon + " has joined the chat");
    EXPECT_EQ(co_await Hear(bob), anon + " has joined the chat");
    EXPECT_TRUE((co_await anonymous.Send("who am I"sv)).ok());
    EXPECT_EQ(co_await Hear(alice), anon + ": who am I");
    EXPECT_EQ(co_await Hear(bob), anon + ": who am I");

    { Lines gone = std::move(bob); }
    EXPECT_EQ(co_await Hear(alice), "bob has left the chat");
    EXPECT_EQ(co_await Hear(anonymous), "bob has left the chat");

    server.Abort();
    co_await server;
  });
}

TEST(Chat, AnOverLongLineIsRefusedAndTheChatGoesOn) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    auto server = Spawn(examples::ServeChat(listener));
    Lines alice = co_await Join(listener.LocalAddr(), "alice");
    Lines bob = co_await Join(listener.LocalAddr(), "bob");
    EXPECT_EQ(co_await Hear(alice), "bob has joined the chat");

    EXPECT_TRUE(
        (co_await alice.Send(std::string(examples::kChatMaxLine + 1, 'x')))
            .ok());
    EXPECT_EQ(co_await Hear(alice),
              "(your line was longer than 1024 bytes; nobody saw it)");
    EXPECT_TRUE((co_await alice.Send("short"sv)).ok());
    EXPECT_EQ(co_await Hear(bob), "alice: short");  // and nothing before it

    server.Abort();
    co_await server;
  });
}

}  // namespace
}  // namespace weft
