// The echo server allocates nothing per request once warm: every request
// reuses the same frames, slots, wakers and pooled buffer. Counted by
// replacing the global operator new in this test binary
// (allocation_counter.h). A coroutine frame per request is counted in the
// builds where frames are operator new (--config=plainframes, ASan; CI runs
// both): io::Copy through Read/Write coroutines there is 20,001 here. In
// the default build such frames come from the thread's frame cache.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "examples/echo_server.h"
#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/allocation_counter.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

// A blocking client on its own thread: `rounds` 64-byte round trips, with
// no allocation in its loop.
void Client(uint16_t port, int warmup, int rounds, long* allocs_measured) {
  const int fd = testing::ConnectLoopbackBlocking(port);
  ASSERT_GE(fd, 0) << "connect to port " << port;
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char out[64] = "ping", in[64];
  long before = 0;
  for (int i = 0; i < warmup + rounds; ++i) {
    if (i == warmup) before = testing::Allocations();
    ASSERT_EQ(send(fd, out, sizeof out, MSG_NOSIGNAL), 64);
    for (size_t got = 0; got < sizeof in;) {
      const ssize_t n = read(fd, in + got, sizeof in - got);
      ASSERT_GT(n, 0);
      got += n;
    }
  }
  *allocs_measured = testing::Allocations() - before;
  close(fd);
}

TEST(EchoAllocations, NonePerRequestInSteadyState) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    long allocs = -1;
    auto client = SpawnBlocking([&, port = listener.LocalAddr().port()] {
      Client(port, 1000, 10000, &allocs);
    });
    co_await client;
    EXPECT_EQ(allocs, 0) << "allocations during 10,000 warm requests";
    server.Abort();
  });
}

}  // namespace
}  // namespace weft
