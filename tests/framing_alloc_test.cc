// Steady state allocates nothing per frame on the line and length-delimited
// paths, and nothing per datagram on a UDP echo: buffers, the decoded item
// and the sockets' wakers are reused. Counted by replacing the global
// operator new in this test binary (allocation_counter.h). In the builds
// where every coroutine frame is its own operator new (--config=plainframes,
// ASan) the frames are what is counted, so there the check is that nothing
// else is: exactly the frames the awaits make.
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "net/duplex.h"
#include "net/framed.h"
#include "net/length_delimited_codec.h"
#include "net/lines_codec.h"
#include "net/udp_socket.h"
#include "runtime/alloc/frame_cache.h"
#include "runtime/weft.h"
#include "tests/allocation_counter.h"

namespace weft {
namespace {

constexpr int kWarmup = 1000;
constexpr int kRounds = 10000;

// Sends and receives `kWarmup + kRounds` frames of `payload` through a
// codec over a Duplex; the allocations of the last kRounds.
template <class Codec>
Task<long> FramesThrough(Codec codec, std::string payload) {
  auto [a, b] = io::Duplex(64 * 1024);
  io::FramedWrite out(std::move(a), codec);
  io::FramedRead in(std::move(b), codec);
  std::string got;
  long before = 0;
  for (int i = 0; i < kWarmup + kRounds; ++i) {
    if (i == kWarmup) before = testing::Allocations();
    // Named results, not co_await inside EXPECT_TRUE: in a template, g++ 12
    // cannot tell the type of the await there.
    const absl::Status sent = co_await out.Send(payload);
    const absl::StatusOr<bool> next = co_await in.Next(got);
    EXPECT_TRUE(sent.ok());
    EXPECT_TRUE(*next);
  }
  const long allocs = testing::Allocations() - before;
  EXPECT_EQ(got, payload);
  co_return allocs;
}

// What a round costs in frames where frames are operator new: Send (its
// feed-and-flush), the flush, the Duplex write; Next (its read loop), the
// Duplex read.
constexpr long kPlainFramesPerRound = 5;

void ExpectNoneBeyondFrames(long allocs, long frames_per_round) {
  if (WEFT_FRAME_CACHE) {
    EXPECT_EQ(allocs, 0) << "allocations during " << kRounds << " frames";
  } else {
    EXPECT_EQ(allocs, frames_per_round * kRounds);
  }
}

TEST(FramingAllocations, NonePerLineInSteadyState) {
  Runtime rt;
  const long allocs =
      rt.BlockOn(FramesThrough(io::LinesCodec(), std::string(100, 'l')));
  ExpectNoneBeyondFrames(allocs, kPlainFramesPerRound);
}

TEST(FramingAllocations, NonePerLengthDelimitedFrameInSteadyState) {
  Runtime rt;
  const long allocs = rt.BlockOn(
      FramesThrough(io::LengthDelimitedCodec(), std::string(100, 'f')));
  ExpectNoneBeyondFrames(allocs, kPlainFramesPerRound);
}

TEST(FramingAllocations, NonePerDatagramOnAUdpEcho) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    absl::StatusOr<net::UdpSocket> server =
        co_await net::UdpSocket::Bind("127.0.0.1:0");
    absl::StatusOr<net::UdpSocket> client =
        co_await net::UdpSocket::Bind("127.0.0.1:0");
    EXPECT_TRUE(client->Connect(server->LocalAddr()).ok());
    char out[64] = "ping", buf[64], back[64];
    long before = 0;
    for (int i = 0; i < kWarmup + kRounds; ++i) {
      if (i == kWarmup) before = testing::Allocations();
      EXPECT_TRUE((co_await client->Send(out)).ok());
      auto got = co_await server->RecvFrom(buf);  // the echo: receive
      EXPECT_TRUE(got.ok());
      EXPECT_TRUE(  // and send it back to whoever sent it
          (co_await server->SendTo(std::span(buf, got->first), got->second))
              .ok());
      EXPECT_EQ(*co_await client->Recv(back), sizeof out);
    }
    // Frames where frames are operator new: Send, RecvFrom (its Receive),
    // SendTo, Recv and the Receive it awaits.
    ExpectNoneBeyondFrames(testing::Allocations() - before, 5);
  });
}

}  // namespace
}  // namespace weft
