// A warm mini-redis connection allocates nothing per GET (issue #18): the
// request is parsed into views of the read buffer, the key is looked up by
// view, and the reply is copied into the reused output buffer. Counted by
// replacing the global operator new in this test binary
// (allocation_counter.h). Where every coroutine frame is its own operator
// new (--config=plainframes, ASan), the frames are counted: a read (Fill)
// and a write (Flush) per request, give or take one read frame at each edge
// of the count. The server makes its next read's frame right after its
// write, on its own thread, so the client may count just before or just
// after it. Any allocation per request would add 10,000.
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string_view>

#include "examples/mini_redis/db.h"
#include "examples/mini_redis/server.h"
#include "gtest/gtest.h"
#include "runtime/alloc/frame_cache.h"
#include "runtime/weft.h"
#include "tests/allocation_counter.h"
#include "tests/net_test_util.h"

namespace weft::mini_redis {
namespace {

using namespace std::string_view_literals;

constexpr int kWarmup = 1000;
constexpr int kRounds = 10000;
constexpr long kPlainFramesPerRequest = 2;

// Sends `request` and reads exactly `reply.size()` bytes, `warmup + rounds`
// times, on a blocking socket (no allocation in its loop); the
// allocations of the last `rounds`, or -1 if a reply was wrong.
long Drive(uint16_t port, std::string_view request, std::string_view reply) {
  const int fd = testing::ConnectLoopbackBlocking(port);
  if (fd < 0) return -1;
  char in[256];
  long before = 0;
  for (int i = 0; i < kWarmup + kRounds; ++i) {
    if (i == kWarmup) before = testing::Allocations();
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      close(fd);
      return -1;
    }
    for (size_t got = 0; got < reply.size();) {
      const ssize_t n = read(fd, in + got, reply.size() - got);
      if (n <= 0) {
        close(fd);
        return -1;
      }
      got += n;
    }
    if (std::string_view(in, reply.size()) != reply) {
      close(fd);
      return -1;
    }
  }
  const long allocs = testing::Allocations() - before;
  close(fd);
  return allocs;
}

TEST(MiniRedisAllocations, NonePerGetInSteadyState) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    auto db = std::make_shared<Db>();
    // A key longer than std::string's inline buffer, as redis-benchmark's
    // "key:__rand_int__" keys are.
    db->Set("key:000000000042", "some value", std::nullopt);
    TaskTracker connections;
    auto server = Spawn(Serve(listener, db, {}, connections));
    long allocs = -1;
    // Spawned in a statement of its own, then awaited (g++ 12 and captures
    // inside a co_await: README.md, "Compilers").
    auto client = SpawnBlocking([&, port = listener.LocalAddr().port()] {
      allocs = Drive(port, "*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000042\r\n"sv,
                     "$10\r\nsome value\r\n"sv);
    });
    co_await client;
    EXPECT_NE(allocs, -1) << "a request failed";
    if (allocs == -1) co_return;
    if (WEFT_FRAME_CACHE) {
      EXPECT_EQ(allocs, 0) << "allocations during " << kRounds << " GETs";
    } else {
      const long frames = kPlainFramesPerRequest * kRounds;
      EXPECT_GE(allocs, frames - 1) << "during " << kRounds << " GETs";
      EXPECT_LE(allocs, frames + 1) << "during " << kRounds << " GETs";
    }
    server.Abort();
  });
}

}  // namespace
}  // namespace weft::mini_redis
