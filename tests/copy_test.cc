// io::Copy works for any byte stream (not only TCP), copes with partial
// writes and stops at EOF; CopyBidirectional relays both ways.
#include "net/copy.h"

#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

// An in-memory reader handing out at most `step` bytes per read.
struct StringReader {
  std::string data;
  size_t step;
  size_t at = 0;
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    const size_t n = std::min({step, buf.size(), data.size() - at});
    std::copy_n(data.data() + at, n, buf.data());
    at += n;
    co_return n;
  }
};

// Accepts at most `step` bytes per write: every write is partial.
struct TrickleWriter {
  size_t step;
  std::string out;
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    const size_t n = std::min(step, buf.size());
    out.append(buf.data(), n);
    co_return n;
  }
};

struct FailingWriter {
  Task<absl::StatusOr<size_t>> Write(std::span<const char>) {
    co_return absl::UnavailableError("write test: gone");
  }
};

static_assert(io::AsyncRead<StringReader>);
static_assert(io::AsyncWrite<TrickleWriter>);
static_assert(io::AsyncRead<net::TcpStream> && io::AsyncWrite<net::TcpStream>);

TEST(Copy, CopiesEverythingThroughPartialWritesAndStopsAtEof) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    StringReader reader{testing::Payload(3, 100'000), 7000, 0};
    TrickleWriter writer{333, ""};
    auto n = co_await io::Copy(reader, writer);
    EXPECT_TRUE(n.ok());
    EXPECT_EQ(*n, 100'000u);
    EXPECT_TRUE(writer.out == reader.data);
  });
}

TEST(Copy, ReturnsTheWritersError) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    StringReader reader{"abc", 10, 0};
    FailingWriter writer;
    auto n = co_await io::Copy(reader, writer);
    EXPECT_TRUE(absl::IsUnavailable(n.status()));
  });
}

TEST(Copy, BidirectionalRelaysBothWaysAndPropagatesEof) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    // client <-> [relay_in | relay_out] <-> backend
    net::TcpListener front = co_await testing::BindLoopback();
    net::TcpListener back = co_await testing::BindLoopback();
    auto relay = Spawn([&]() -> Task<absl::StatusOr<io::CopiedBothWays>> {
      auto in = co_await front.Accept();
      auto out = co_await net::TcpStream::Connect(back.LocalAddr());
      EXPECT_TRUE(in.ok() && out.ok());
      net::TcpStream inbound = std::move(in->first);
      net::TcpStream outbound = *std::move(out);
      auto copied = co_await io::CopyBidirectional(inbound, outbound);
      co_return copied;
    });
    auto client = co_await net::TcpStream::Connect(front.LocalAddr());
    auto backend = co_await back.Accept();
    EXPECT_TRUE(client.ok() && backend.ok());
    net::TcpStream& server = backend->first;
    EXPECT_TRUE((co_await client->WriteAll(std::string("question"))).ok());
    EXPECT_TRUE(client->Shutdown().ok());
    std::string q;
    EXPECT_TRUE((co_await server.ReadToEnd(q)).ok());  // EOF was relayed
    EXPECT_EQ(q, "question");
    EXPECT_TRUE((co_await server.WriteAll(std::string("answer!"))).ok());
    EXPECT_TRUE(server.Shutdown().ok());
    std::string a;
    EXPECT_TRUE((co_await client->ReadToEnd(a)).ok());
    EXPECT_EQ(a, "answer!");
    auto copied = *(co_await relay);
    EXPECT_TRUE(copied.ok()) << copied.status();
    EXPECT_EQ(copied->a_to_b, 8u);
    EXPECT_EQ(copied->b_to_a, 7u);
  });
}

}  // namespace
}  // namespace weft
