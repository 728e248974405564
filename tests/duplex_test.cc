// Duplex and the stream-generic helpers: what one end writes the other
// reads, in order, with backpressure at the buffer's size; shutting down
// or dropping an end is seen by the other; io::Copy, ReadExact, ReadToEnd,
// WriteAll and io::Split work on it as on a socket.
#include "net/duplex.h"

#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "net/copy.h"
#include "net/io_ext.h"
#include "net/io_split.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using io::DuplexStream;

TEST(Duplex, WhatOneEndWritesTheOtherReadsBothWays) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    EXPECT_TRUE((co_await io::WriteAll(a, std::string_view("ping"))).ok());
    EXPECT_TRUE((co_await io::WriteAll(b, std::string_view("pong!"))).ok());
    char buf[16];
    absl::StatusOr<size_t> n = co_await b.Read(buf);
    EXPECT_EQ(std::string(buf, *n), "ping");
    n = co_await a.Read(buf);
    EXPECT_EQ(std::string(buf, *n), "pong!");
  });
}

TEST(Duplex, AWriterWaitsForTheReaderOnceTheBufferIsFull) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(4);
    // One write takes at most what fits.
    absl::StatusOr<size_t> n = co_await a.Write(std::string_view("abcdefgh"));
    EXPECT_EQ(*n, 4u);
    // A whole megabyte goes through the 4-byte buffer, in order, while
    // the writer waits on the reader at every step.
    const std::string payload = testing::Payload(7, 1 << 20);
    auto writer = Spawn([&a = a, &payload]() -> Task<absl::Status> {
      absl::Status s = co_await io::WriteAll(a, payload);
      co_return s;
    });
    std::string got(4 + payload.size(), '\0');
    EXPECT_TRUE((co_await io::ReadExact(b, got)).ok());
    EXPECT_EQ(got.substr(0, 4), "abcd");
    EXPECT_TRUE(got.substr(4) == payload);
    EXPECT_TRUE((*co_await writer).ok());
  });
}

TEST(Duplex, ShutdownEndsThePeersReadsAfterTheData) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    EXPECT_TRUE(
        (co_await io::WriteAll(a, std::string_view("last words"))).ok());
    EXPECT_TRUE(a.Shutdown().ok());
    std::string all;
    EXPECT_EQ(*co_await io::ReadToEnd(b, all), 10u);
    EXPECT_EQ(all, "last words");
    // Writing after Shutdown is an error; the other direction still works.
    EXPECT_FALSE((co_await a.Write(std::string_view("x"))).ok());
    EXPECT_TRUE((co_await io::WriteAll(b, std::string_view("reply"))).ok());
    char buf[8];
    EXPECT_EQ(*co_await a.Read(buf), 5u);
  });
}

TEST(Duplex, DroppingAnEndFailsThePeersWritesAndEndsItsReads) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    EXPECT_TRUE((co_await io::WriteAll(a, std::string_view("bye"))).ok());
    { DuplexStream gone = std::move(a); }
    std::string all;
    EXPECT_EQ(*co_await io::ReadToEnd(b, all), 3u);
    absl::StatusOr<size_t> n = co_await b.Write(std::string_view("hello?"));
    EXPECT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(n.status().message().find("the reading end is gone"),
              std::string::npos)
        << n.status();
  });
}

TEST(Duplex, AWriterParkedOnAFullBufferFailsWhenTheReaderGoes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(2);
    auto writer = Spawn([&a = a]() -> Task<absl::Status> {
      absl::Status s =
          co_await io::WriteAll(a, std::string_view("more than two"));
      co_return s;
    });
    char buf[1];
    EXPECT_EQ(*co_await b.Read(buf), 1u);  // the writer got going
    { DuplexStream gone = std::move(b); }
    absl::Status s = *co_await writer;
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  });
}

TEST(Duplex, CopyPumpsOneEndIntoAnother) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [src, src_peer] = io::Duplex(1024);
    auto [dst_peer, dst] = io::Duplex(1024);
    const std::string payload = testing::Payload(3, 100'000);
    auto feeder = Spawn([&src = src, &payload]() -> Task<> {
      EXPECT_TRUE((co_await io::WriteAll(src, payload)).ok());
      EXPECT_TRUE(src.Shutdown().ok());
    });
    auto copy =
        Spawn([&src_peer = src_peer,
               &dst_peer = dst_peer]() -> Task<absl::StatusOr<uint64_t>> {
          absl::StatusOr<uint64_t> n = co_await io::Copy(src_peer, dst_peer);
          EXPECT_TRUE(dst_peer.Shutdown().ok());
          co_return n;
        });
    std::string got;
    EXPECT_EQ(*co_await io::ReadToEnd(dst, got), payload.size());
    EXPECT_TRUE(got == payload);
    EXPECT_EQ(**co_await copy, payload.size());
    co_await feeder;
  });
}

// CopyBidirectional over any streams: a relay between two Duplex pairs
// carries both directions, and each side's EOF reaches the other.
TEST(Duplex, CopyBidirectionalRelaysBetweenAnyStreams) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [client, relay_in] = io::Duplex(64);
    auto [relay_out, backend] = io::Duplex(64);
    auto relay = Spawn(
        [&relay_in = relay_in,
         &relay_out = relay_out]() -> Task<absl::StatusOr<io::CopiedBothWays>> {
          absl::StatusOr<io::CopiedBothWays> copied =
              co_await io::CopyBidirectional(relay_in, relay_out);
          co_return copied;
        });
    // More than the pipes hold: the relay must move it while it is written.
    const std::string question = testing::Payload(1, 5000);
    auto asker = Spawn([&client = client, &question]() -> Task<> {
      EXPECT_TRUE((co_await io::WriteAll(client, question)).ok());
      EXPECT_TRUE(client.Shutdown().ok());
    });
    std::string got;
    EXPECT_TRUE((co_await io::ReadToEnd(backend, got)).ok());  // EOF relayed
    EXPECT_TRUE(got == question);
    co_await asker;
    EXPECT_TRUE((co_await io::WriteAll(backend, std::string_view("ok"))).ok());
    EXPECT_TRUE(backend.Shutdown().ok());
    std::string answer;
    EXPECT_TRUE((co_await io::ReadToEnd(client, answer)).ok());
    EXPECT_EQ(answer, "ok");
    absl::StatusOr<io::CopiedBothWays> copied = *co_await relay;
    EXPECT_TRUE(copied.ok()) << copied.status();
    EXPECT_EQ(copied->a_to_b, question.size());
    EXPECT_EQ(copied->b_to_a, 2u);
  });
}

TEST(Duplex, EndsOnTwoThreadsTalk) {
  auto [a, b] = io::Duplex(256);
  const std::string payload = testing::Payload(11, 200'000);
  std::thread other([&b = b, &payload] {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      std::string got(payload.size(), '\0');
      EXPECT_TRUE((co_await io::ReadExact(b, got)).ok());
      EXPECT_TRUE(got == payload);
      EXPECT_TRUE((co_await io::WriteAll(b, std::string_view("done"))).ok());
    });
  });
  Runtime rt;
  rt.BlockOn([&a = a, &payload]() -> Task<> {
    EXPECT_TRUE((co_await io::WriteAll(a, payload)).ok());
    char buf[4];
    EXPECT_TRUE((co_await io::ReadExact(a, buf)).ok());
    EXPECT_EQ(std::string(buf, 4), "done");
  });
  other.join();
}

TEST(IoSplit, HalvesReadAndWriteFromTwoTasksAndUnsplitGivesTheStreamBack) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(16);
    auto [reader, writer] = io::Split(std::move(b));
    // An echo on the split end: one task reads, another writes.
    auto [lines_tx, lines_rx] = mpsc::UnboundedChannel<std::string>();
    auto pump =
        Spawn([&reader = reader, tx = std::move(lines_tx)]() mutable -> Task<> {
          char buf[8];
          for (;;) {
            absl::StatusOr<size_t> n = co_await reader.Read(buf);
            if (!n.ok() || *n == 0) co_return;
            EXPECT_TRUE(tx.Send(std::string(buf, *n)).ok());
          }
        });
    auto echo =
        Spawn([&writer = writer, rx = std::move(lines_rx)]() mutable -> Task<> {
          while (std::optional<std::string> chunk = co_await rx.Recv()) {
            EXPECT_TRUE((co_await io::WriteAll(writer, *chunk)).ok());
          }
        });
    const std::string payload = testing::Payload(5, 1000);
    auto sender = Spawn([&a = a, &payload]() -> Task<> {
      EXPECT_TRUE((co_await io::WriteAll(a, payload)).ok());
    });
    std::string got(payload.size(), '\0');
    EXPECT_TRUE((co_await io::ReadExact(a, got)).ok());
    EXPECT_TRUE(got == payload);
    co_await sender;
    EXPECT_TRUE(a.Shutdown().ok());
    co_await pump;
    co_await echo;
    absl::StatusOr<DuplexStream> whole =
        io::Unsplit(std::move(reader), std::move(writer));
    EXPECT_TRUE(whole.ok()) << whole.status();
    EXPECT_TRUE((co_await io::WriteAll(*whole, "again")).ok());
    char buf[5];
    EXPECT_TRUE((co_await io::ReadExact(a, buf)).ok());
  });
}

TEST(IoSplit, UnsplitRefusesHalvesOfDifferentStreams) {
  auto [a, b] = io::Duplex(16);
  auto [a_read, a_write] = io::Split(std::move(a));
  auto [b_read, b_write] = io::Split(std::move(b));
  absl::StatusOr<DuplexStream> mixed =
      io::Unsplit(std::move(a_read), std::move(b_write));
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace weft
