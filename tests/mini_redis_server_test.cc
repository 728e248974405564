// The mini-redis server from its clients' side, in-process over loopback:
// pipelining, requests split across writes, protocol errors and limits,
// QUIT, pub/sub (patterns, the subscribed mode, cut-off of a subscriber
// that never reads), and the client library against it.
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "examples/mini_redis/client.h"
#include "examples/mini_redis/db.h"
#include "examples/mini_redis/server.h"
#include "gtest/gtest.h"
#include "net/io_ext.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft::mini_redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_view_literals;

// A server on a free loopback port, for one test.
struct TestServer {
  explicit TestServer(net::TcpListener l) : listener(std::move(l)) {}
  ~TestServer() { task.Abort(); }
  net::TcpListener listener;
  std::shared_ptr<Db> db = std::make_shared<Db>();
  TaskTracker connections;
  JoinHandle<absl::Status> task;
  net::SocketAddr addr() const { return listener.LocalAddr(); }
};

Task<std::unique_ptr<TestServer>> Start(ServerOptions options = {}) {
  auto server = std::make_unique<TestServer>(co_await testing::BindLoopback());
  server->task =
      Spawn(Serve(server->listener, server->db, options, server->connections));
  co_return server;
}

Task<net::TcpStream> Connect(net::SocketAddr addr) {
  absl::StatusOr<net::TcpStream> stream =
      co_await net::TcpStream::Connect(addr);
  EXPECT_TRUE(stream.ok()) << stream.status();
  net::TcpStream out = *std::move(stream);
  co_return out;
}

Task<> Send(net::TcpStream& stream, std::string_view bytes) {
  absl::Status sent = co_await io::WriteAll(
      stream, std::span<const char>(bytes.data(), bytes.size()));
  EXPECT_TRUE(sent.ok()) << sent;
}

// Exactly `n` bytes from the server.
Task<std::string> Receive(net::TcpStream& stream, size_t n) {
  std::string bytes(n, '\0');
  absl::Status got = co_await io::ReadExact(stream, std::span<char>(bytes));
  EXPECT_TRUE(got.ok()) << got;
  co_return bytes;
}

// Sends `request`, then reads as many bytes as `expected` has.
Task<std::string> Exchange(net::TcpStream& stream, std::string_view request,
                           std::string_view expected) {
  co_await Send(stream, request);
  std::string reply = co_await Receive(stream, expected.size());
  co_return reply;
}

// Whether the server closed the connection (nothing more comes).
Task<bool> Closed(net::TcpStream& stream) {
  char byte;
  absl::StatusOr<size_t> n = co_await stream.Read(std::span<char>(&byte, 1));
  co_return !n.ok() || *n == 0;
}

TEST(MiniRedisServer, PipelinedRequestsAreAllAnsweredInOrder) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    net::TcpStream client = co_await Connect(server->addr());
    // Three requests in one write: RESP arrays and an inline one.
    constexpr std::string_view kExpected = "+PONG\r\n+OK\r\n$1\r\nv\r\n";
    EXPECT_EQ(co_await Exchange(client,
                                "*1\r\n$4\r\nPING\r\n"
                                "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
                                "GET k\r\n",
                                kExpected),
              kExpected);
  });
}

TEST(MiniRedisServer, ARequestSplitAcrossManyWritesComesOutWhole) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    net::TcpStream client = co_await Connect(server->addr());
    const std::string_view request =
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    for (char byte : request) {
      co_await Send(client, std::string_view(&byte, 1));
      co_await YieldNow();  // let the server read what it has
    }
    EXPECT_EQ(co_await Receive(client, 5), "+OK\r\n");
    EXPECT_EQ(co_await Exchange(client, "GET key\r\n", "$5\r\nvalue\r\n"),
              "$5\r\nvalue\r\n");
  });
}

TEST(MiniRedisServer, MalformedRequestIsAnsweredWithAProtocolErrorThenClosed) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    struct Case {
      std::string_view request, reply;
    };
    for (const Case& c : {
             // What came before the bad request is still answered.
             Case{"PING\r\n*1\r\n$x\r\n",
                  "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n"},
             Case{"*1\r\n:1\r\n",
                  "-ERR Protocol error: expected '$', got ':'\r\n"},
             // The client's byte in the reply cannot break its line.
             Case{"*1\r\n\r\n",
                  "-ERR Protocol error: expected '$', got ' '\r\n"},
             Case{"*x\r\n",
                  "-ERR Protocol error: invalid multibulk length\r\n"},
             Case{"*1\r\n$1\r\nab\r\n",
                  "-ERR Protocol error: expected CRLF after a bulk string\r\n"},
         }) {
      net::TcpStream client = co_await Connect(server->addr());
      EXPECT_EQ(co_await Exchange(client, c.request, c.reply), c.reply);
      EXPECT_TRUE(co_await Closed(client)) << c.request;
    }
  });
}

TEST(MiniRedisServer, LimitsAreEnforcedAtTheHeaderBeforeThePayloadComes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    ServerOptions options;
    options.limits.max_bulk = 8;
    options.limits.max_multibulk = 4;
    auto server = co_await Start(options);
    net::TcpStream small = co_await Connect(server->addr());
    EXPECT_EQ(co_await Exchange(small, "SET k 12345678\r\n", "+OK\r\n"),
              "+OK\r\n");  // at the limit
    // The header alone is refused: the 9 bytes are never sent.
    constexpr std::string_view kBulk =
        "-ERR Protocol error: invalid bulk length\r\n";
    net::TcpStream big = co_await Connect(server->addr());
    EXPECT_EQ(
        co_await Exchange(big, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$9\r\n", kBulk),
        kBulk);
    EXPECT_TRUE(co_await Closed(big));
    constexpr std::string_view kMany =
        "-ERR Protocol error: invalid multibulk length\r\n";
    net::TcpStream many = co_await Connect(server->addr());
    EXPECT_EQ(co_await Exchange(many, "*5\r\n", kMany), kMany);
    EXPECT_TRUE(co_await Closed(many));
  });
}

TEST(MiniRedisServer, UnknownCommandsKeepTheConnectionAndQuitClosesIt) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    net::TcpStream client = co_await Connect(server->addr());
    constexpr std::string_view kUnknown =
        "-ERR unknown command 'NOPE', with args beginning with: \r\n";
    EXPECT_EQ(co_await Exchange(client, "NOPE\r\n", kUnknown), kUnknown);
    EXPECT_EQ(co_await Exchange(client, "PING\r\n", "+PONG\r\n"), "+PONG\r\n");
    EXPECT_EQ(co_await Exchange(client, "QUIT\r\n", "+OK\r\n"), "+OK\r\n");
    EXPECT_TRUE(co_await Closed(client));
  });
}

TEST(MiniRedisServer, TheClientLibrarySpeaksToIt) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    absl::StatusOr<Client> client =
        co_await Client::Connect(server->addr().ToString());
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) co_return;
    EXPECT_EQ(*co_await client->Ping(), "PONG");
    EXPECT_EQ(*co_await client->Ping("hey"), "hey");
    EXPECT_EQ(*co_await client->Get("k"), std::nullopt);
    EXPECT_TRUE((co_await client->Set("k", "v")).ok());
    EXPECT_EQ(*co_await client->Get("k"), "v");
    EXPECT_EQ(*co_await client->Incr("n"), 1);
    EXPECT_EQ(*co_await client->Del("k", "n", "nope"), 2);
    EXPECT_TRUE((co_await client->Set("s", "text")).ok());
    absl::StatusOr<int64_t> bad = co_await client->Incr("s");
    // The server's error reply: an Unknown status, naming the command and
    // the server.
    EXPECT_EQ(
        bad.status(),
        absl::UnknownError("INCR " + server->addr().ToString() +
                           ": ERR value is not an integer or out of range"));
    // SetExpires: the server sees the PX.
    EXPECT_TRUE((co_await client->SetExpires("e", "v", 100s)).ok());
    absl::StatusOr<Frame> ttl = co_await client->Execute("TTL", "e");
    EXPECT_EQ(*ttl, Frame::Integer(100));
  });
}

TEST(MiniRedisPubSub, SubscribersReceiveWhatIsPublishedAndLeaveCleanly) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    const std::string addr = server->addr().ToString();
    absl::StatusOr<Client> publisher = co_await Client::Connect(addr);
    absl::StatusOr<Client> listener = co_await Client::Connect(addr);
    EXPECT_TRUE(publisher.ok() && listener.ok());
    if (!publisher.ok() || !listener.ok()) co_return;
    absl::StatusOr<Subscriber> subscriber =
        co_await Subscribe(*std::move(listener), "news", "sport");
    EXPECT_TRUE(subscriber.ok()) << subscriber.status();
    if (!subscriber.ok()) co_return;
    EXPECT_EQ(subscriber->channels(),
              (std::vector<std::string>{"news", "sport"}));

    EXPECT_EQ(*co_await publisher->Publish("news", "hello"), 1);
    EXPECT_EQ(*co_await publisher->Publish("weather", "rain"), 0);
    EXPECT_EQ(*co_await publisher->Publish("sport", "goal"), 1);
    absl::StatusOr<std::optional<Message>> first =
        co_await subscriber->NextMessage();
    EXPECT_EQ(**first, (Message{"news", "hello"}));
    absl::StatusOr<std::optional<Message>> second =
        co_await subscriber->NextMessage();
    EXPECT_EQ(**second, (Message{"sport", "goal"}));

    // Unsubscribing has finished by its confirmation: PUBLISH no longer
    // counts it, and the server forgets the channel.
    EXPECT_TRUE((co_await subscriber->Unsubscribe("news")).ok());
    EXPECT_EQ(subscriber->channels(), std::vector<std::string>{"sport"});
    EXPECT_EQ(*co_await publisher->Publish("news", "again"), 0);
    EXPECT_EQ(server->db->Subscribers("news"), 0u);
    EXPECT_TRUE((co_await subscriber->Unsubscribe()).ok());
    EXPECT_TRUE(subscriber->channels().empty());
    EXPECT_EQ(*co_await publisher->Publish("sport", "again"), 0);
  });
}

TEST(MiniRedisPubSub, PatternsMatchChannelsAsGlobs) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    net::TcpStream subscriber = co_await Connect(server->addr());
    constexpr std::string_view kSubscribed =
        "*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n";
    EXPECT_EQ(
        co_await Exchange(subscriber, "PSUBSCRIBE news.*\r\n", kSubscribed),
        kSubscribed);
    net::TcpStream publisher = co_await Connect(server->addr());
    EXPECT_EQ(co_await Exchange(publisher, "PUBLISH other x\r\n", ":0\r\n"),
              ":0\r\n");
    EXPECT_EQ(
        co_await Exchange(publisher, "PUBLISH news.sport hi\r\n", ":1\r\n"),
        ":1\r\n");
    constexpr std::string_view kMessage =
        "*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$10\r\nnews.sport\r\n$"
        "2\r\nhi\r\n";
    EXPECT_EQ(co_await Receive(subscriber, kMessage.size()), kMessage);
    constexpr std::string_view kLeft =
        "*3\r\n$12\r\npunsubscribe\r\n$6\r\nnews.*\r\n:0\r\n";
    EXPECT_EQ(co_await Exchange(subscriber, "PUNSUBSCRIBE\r\n", kLeft), kLeft);
    EXPECT_EQ(
        co_await Exchange(publisher, "PUBLISH news.sport hi\r\n", ":0\r\n"),
        ":0\r\n");
  });
}

TEST(MiniRedisPubSub, ASubscribedConnectionTakesOnlyPubSubCommands) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto server = co_await Start();
    net::TcpStream client = co_await Connect(server->addr());
    constexpr std::string_view kNone =
        "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n";
    EXPECT_EQ(co_await Exchange(client, "UNSUBSCRIBE\r\n", kNone), kNone);
    constexpr std::string_view kSubscribed =
        "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
        "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n";
    EXPECT_EQ(co_await Exchange(client, "SUBSCRIBE a b\r\n", kSubscribed),
              kSubscribed);
    constexpr std::string_view kRefused =
        "-ERR Can't execute 'get': only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING "
        "/ QUIT are allowed in this context\r\n";
    EXPECT_EQ(co_await Exchange(client, "GET k\r\n", kRefused), kRefused);
    constexpr std::string_view kPong = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";
    EXPECT_EQ(co_await Exchange(client, "PING\r\n", kPong), kPong);
    constexpr std::string_view kLeft =
        "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n"
        "*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n";
    std::string left = co_await Exchange(client, "UNSUBSCRIBE\r\n", kLeft);
    // The map's order is not the subscription order: either is right.
    EXPECT_TRUE(left == kLeft ||
                left ==
                    "*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n"
                    "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n")
        << left;
    // Out of subscribed mode: every command again.
    EXPECT_EQ(co_await Exchange(client, "GET k\r\n", "$-1\r\n"), "$-1\r\n");
  });
}

TEST(MiniRedisPubSub, ASubscriberThatNeverReadsIsCutOffAtTheOutputLimit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    ServerOptions options;
    options.pubsub_output_limit = 256 * 1024;
    auto server = co_await Start(options);
    net::TcpStream subscriber = co_await Connect(server->addr());
    const int small = 16 * 1024;  // little room in the kernel for it
    setsockopt(subscriber.NativeHandle(), SOL_SOCKET, SO_RCVBUF, &small,
               sizeof small);
    constexpr std::string_view kSubscribed =
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n";
    EXPECT_EQ(co_await Exchange(subscriber, "SUBSCRIBE ch\r\n", kSubscribed),
              kSubscribed);
    // Publish 64 KiB messages it never reads, until the server has cut it
    // off (PUBLISH then reaches nobody). The kernel's socket buffers hold a
    // few MiB; far fewer than 1,000 messages pass them and the limit.
    absl::StatusOr<Client> publisher =
        co_await Client::Connect(server->addr().ToString());
    EXPECT_TRUE(publisher.ok());
    if (!publisher.ok()) co_return;
    const std::string payload(64 * 1024, 'm');
    int published = 0;
    for (; published < 1000; ++published) {
      absl::StatusOr<int64_t> reached =
          co_await publisher->Publish("ch", payload);
      EXPECT_TRUE(reached.ok());
      if (!reached.ok() || *reached == 0) break;
    }
    EXPECT_LT(published, 1000) << "never cut off";
    // What the server had written is still readable, then the end.
    for (;;) {
      char buf[64 * 1024];
      absl::StatusOr<size_t> n = co_await subscriber.Read(std::span<char>(buf));
      if (!n.ok() || *n == 0) break;
    }
    EXPECT_EQ(server->db->Subscribers("ch"), 0u);
  });
}

}  // namespace
}  // namespace weft::mini_redis
