// Syscall failures injected at the seam (runtime/io/sys/sys.h): each error path
// neither crashes, leaks nor hangs; EINTR is retried; other errors reach
// the caller as a status naming the operation; the runtime keeps serving
// the other tasks. Built against the *_with_faults library variants.
#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "examples/echo_server.h"
#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/alloc/frame_cache.h"
#include "runtime/alloc/frame_pages.h"
#include "runtime/io/sys/sys.h"
#include "runtime/task/leaf.h"
#include "runtime/weft.h"

namespace weft {
namespace {

using internal::sys::Call;
using internal::sys::InjectFault;
using net::TcpListener;
using net::TcpStream;

int OpenFds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (readdir(d) != nullptr) ++n;
  closedir(d);
  return n;
}

class FaultInjection : public ::testing::Test {
 protected:
  void SetUp() override { internal::sys::ClearFaults(); }
  void TearDown() override { internal::sys::ClearFaults(); }
};

Task<TcpListener> Listen() {
  auto l = co_await TcpListener::Bind("127.0.0.1:0");
  EXPECT_TRUE(l.ok());
  TcpListener out = *std::move(l);
  co_return out;
}

Task<std::pair<TcpStream, TcpStream>> Pair() {
  TcpListener listener = co_await Listen();
  auto client = co_await TcpStream::Connect(listener.LocalAddr());
  auto server = co_await listener.Accept();
  EXPECT_TRUE(client.ok() && server.ok());
  co_return std::pair<TcpStream, TcpStream>(std::move(server->first),
                                            *std::move(client));
}

TEST_F(FaultInjection, ReadRetriesEintr) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = co_await Pair();
    EXPECT_TRUE((co_await pair.second.WriteAll(std::string("x"))).ok());
    InjectFault(Call::kRecv, 1, EINTR);
    char c;
    auto n = co_await pair.first.Read(std::span<char>(&c, 1));
    EXPECT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(c, 'x');
  });
}

TEST_F(FaultInjection, ReadErrorNamesTheOperationAndPeer) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto broken = co_await Pair();
    auto healthy = co_await Pair();
    InjectFault(Call::kRecv, 1, ECONNRESET);
    char c;
    auto n = co_await broken.first.Read(std::span<char>(&c, 1));
    EXPECT_EQ(n.status().message(), "read " +
                                        broken.first.PeerAddr().ToString() +
                                        ": Connection reset by peer");
    // Another connection on the same runtime is unaffected.
    EXPECT_TRUE((co_await healthy.second.WriteAll(std::string("y"))).ok());
    auto m = co_await healthy.first.Read(std::span<char>(&c, 1));
    EXPECT_TRUE(m.ok());
  });
}

// Waits, serving the other tasks, until the faults injected for `call` have
// fired: the task that met one has then run up to its next suspension.
Task<> UntilFired(Call call) {
  while (internal::sys::PendingFaults(call) > 0) co_await YieldNow();
}

// EAGAIN is not an error: the operation clears its readiness and parks until
// the next edge, then tries again. The fault here is spurious (data is
// there), so the test makes the next edge itself, after the EAGAIN; then
// every byte arrives once, in order. (A real EAGAIN means the kernel has
// nothing, so the next edge is the next data; one before the EAGAIN would
// have been read by it.)
TEST_F(FaultInjection, ReadAfterEagainWaitsForTheNextEdgeAndLosesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = co_await Pair();
    EXPECT_TRUE((co_await pair.second.WriteAll(std::string("x"))).ok());
    InjectFault(Call::kRecv, 1, EAGAIN);
    auto reader = Spawn([&]() -> Task<std::string> {
      char buf[2];
      absl::Status st = co_await pair.first.ReadExact(std::span<char>(buf, 2));
      EXPECT_TRUE(st.ok()) << st;
      co_return std::string(buf, 2);
    });
    co_await UntilFired(Call::kRecv);
    EXPECT_FALSE(reader.IsFinished());  // parked, not failed
    EXPECT_TRUE((co_await pair.second.WriteAll(std::string("y"))).ok());
    auto got = co_await reader;
    EXPECT_EQ(got.value(), "xy");
  });
}

// The same for a write. The next edge is made by the peer sending a byte:
// with edge-triggered epoll, any wake-up of the socket reports every
// readiness that holds, writable included.
TEST_F(FaultInjection, WriteAfterEagainWaitsForTheNextEdgeAndLosesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = co_await Pair();
    InjectFault(Call::kSend, 1, EAGAIN);
    auto writer = Spawn([&]() -> Task<absl::Status> {
      absl::Status st = co_await pair.first.WriteAll(std::string("abc"));
      co_return st;
    });
    co_await UntilFired(Call::kSend);
    EXPECT_FALSE(writer.IsFinished());  // parked, not failed
    EXPECT_TRUE((co_await pair.second.WriteAll(std::string("!"))).ok());
    auto st = co_await writer;
    EXPECT_TRUE(st.ok() && st->ok());
    char buf[3];
    EXPECT_TRUE((co_await pair.second.ReadExact(std::span<char>(buf, 3))).ok());
    EXPECT_EQ(std::string(buf, 3), "abc");  // once each, in order
  });
}

// And for accept: the queued connection is accepted at the next edge (the
// next connection), before it.
TEST_F(FaultInjection, AcceptAfterEagainWaitsForTheNextEdgeAndLosesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await Listen();
    auto c1 = co_await TcpStream::Connect(listener.LocalAddr());
    InjectFault(Call::kAccept4, 1, EAGAIN);
    auto acceptor = Spawn([&]() -> Task<std::vector<net::SocketAddr>> {
      std::vector<net::SocketAddr> peers;
      for (int i = 0; i < 2; ++i) {
        auto a = co_await listener.Accept();
        EXPECT_TRUE(a.ok()) << a.status();
        if (a.ok()) peers.push_back(a->second);
      }
      co_return peers;
    });
    co_await UntilFired(Call::kAccept4);
    EXPECT_FALSE(acceptor.IsFinished());
    auto c2 = co_await TcpStream::Connect(listener.LocalAddr());
    auto peers = co_await acceptor;
    EXPECT_TRUE(peers.ok() && peers->size() == 2);
    if (!peers.ok() || peers->size() != 2) co_return;
    EXPECT_EQ((*peers)[0], *c1->LocalAddr());
    EXPECT_EQ((*peers)[1], *c2->LocalAddr());
  });
}

TEST_F(FaultInjection, WriteRetriesEintrAndReportsEpipe) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = co_await Pair();
    InjectFault(Call::kSend, 1, EINTR);
    EXPECT_TRUE((co_await pair.first.WriteAll(std::string("ok"))).ok());
    InjectFault(Call::kSend, 1, EPIPE);
    absl::Status st = co_await pair.first.WriteAll(std::string("no"));
    EXPECT_EQ(st.message(),
              "write " + pair.first.PeerAddr().ToString() + ": Broken pipe");
  });
}

TEST_F(FaultInjection, AcceptRetriesTransientErrorsAndReportsTheRest) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await Listen();
    auto c1 = co_await TcpStream::Connect(listener.LocalAddr());
    InjectFault(Call::kAccept4, 1, EINTR);
    InjectFault(Call::kAccept4, 2, ECONNABORTED);
    auto a1 = co_await listener.Accept();  // two retries, then the real one
    EXPECT_TRUE(a1.ok()) << a1.status();
    for (int err : {EMFILE, ENFILE, ENOMEM}) {
      InjectFault(Call::kAccept4, 1, err);
      auto a = co_await listener.Accept();
      EXPECT_TRUE(absl::IsResourceExhausted(a.status())) << a.status();
      EXPECT_NE(a.status().message().find("accept " +
                                          listener.LocalAddr().ToString()),
                std::string::npos)
          << a.status();
    }
    auto c2 = co_await TcpStream::Connect(listener.LocalAddr());
    auto a2 = co_await listener.Accept();  // and then it works again
    EXPECT_TRUE(a2.ok()) << a2.status();
  });
}

TEST_F(FaultInjection, FailedRegistrationOfAnAcceptedSocketLeaksNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await Listen();
    auto c = co_await TcpStream::Connect(listener.LocalAddr());
    const int fds_before = OpenFds();
    InjectFault(Call::kEpollCtl, 1, ENOMEM);
    auto a = co_await listener.Accept();
    EXPECT_TRUE(absl::IsResourceExhausted(a.status())) << a.status();
    EXPECT_NE(a.status().message().find("epoll_ctl add"), std::string::npos);
    EXPECT_EQ(OpenFds(), fds_before);  // the accepted socket was closed
  });
}

// A wake from another thread whose eventfd write is interrupted still
// arrives (the write is retried; without the retry this test hangs).
TEST_F(FaultInjection, RemoteWakeRetriesAnInterruptedEventfdWrite) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker waker;
    struct ParkWith {
      Waker* slot;
      explicit ParkWith(Waker* s) : slot(s) {}
      bool await_ready() { return false; }
      void await_suspend(std::coroutine_handle<> self) {
        *slot = internal::ParkedTask(self, "ParkWith").NewWaker();
      }
      void await_resume() {}
    };
    auto parked = Spawn([&]() -> Task<> { co_await ParkWith(&waker); });
    co_await YieldNow();
    InjectFault(Call::kEventfdWrite, 1, EINTR);
    std::thread([w = waker.Clone()]() mutable { std::move(w).Wake(); }).join();
    co_await parked;  // the runtime sleeps in epoll_wait until the eventfd
  });
}

// A frame of a size no other task in this binary has: its size class has
// no page with a free block, so making one needs a new page.
// (The array's address escapes, so that no optimizer keeps only the one
// byte it reads back: clang at -O1 did, and the frame became a common
// size.)
char* volatile escaped_bytes;
Task<int> BigFrame(int i) {
  std::array<char, 600> bytes{};
  bytes[i] = static_cast<char>(i);
  escaped_bytes = bytes.data();
  co_await YieldNow();
  co_return bytes[i];
}

// The kernel refusing memory for a frame page is std::bad_alloc from the
// call that makes the task, as from operator new: nothing is half-made,
// and the runtime goes on (the next page is mapped).
TEST_F(FaultInjection,
       AFramePageTheKernelRefusesIsBadAllocAndTheRuntimeGoesOn) {
  if (!WEFT_FRAME_CACHE)
    GTEST_SKIP() << "frames use operator new (ASan or plain frames)";
  std::thread([] {  // a thread of its own: its frame cache starts empty
    internal::FramePages::ReleaseEmptyPages();
    Runtime rt;
    rt.BlockOn([]() -> Task<> {
      InjectFault(Call::kMmap, 1, ENOMEM);
      // Spawned, not made and dropped: clang elides the allocation of a
      // frame that is destroyed where it was made (its frame then lives
      // in the caller's), and no page would be asked for.
      EXPECT_THROW((void)Spawn(BigFrame(1)), std::bad_alloc);
      EXPECT_EQ(internal::sys::PendingFaults(Call::kMmap), 0);
      auto joined = co_await Spawn(BigFrame(2));
      EXPECT_TRUE(joined.ok());
      EXPECT_EQ(*joined, 2);
    });
  })
      .join();
}

TEST_F(FaultInjection, EpollWaitEintrIsRetried) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    InjectFault(Call::kEpollWait, 1, EINTR);
    InjectFault(Call::kEpollWait, 2, EINTR);
    co_await Sleep(std::chrono::milliseconds(2));  // still wakes up
  });
}

// An event for a slot whose fd was deregistered and whose slot was reused
// by another fd (same index, new generation) must wake nobody.
TEST_F(FaultInjection, AStaleEventForAReusedSlotIsDropped) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int first[2], second[2];
    EXPECT_EQ(pipe2(first, O_NONBLOCK | O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(second, O_NONBLOCK | O_CLOEXEC), 0);
    {
      // The runtime's first registration: slot 0, generation 0.
      auto gone = AsyncFd::Create(first[0]);
      EXPECT_TRUE(gone.ok());
    }  // deregistered: slot 0 is free, its generation moves on
    auto reused = AsyncFd::Create(second[0]);  // slot 0 again, generation 1
    EXPECT_TRUE(reused.ok());
    int wakes = 0;
    auto reader = Spawn([&]() -> Task<> {
      for (;;) {
        co_await reused->Readable();
        ++wakes;
        char c;
        if (read(reused->fd(), &c, 1) < 0) reused->ClearReadable();
      }
    });
    co_await YieldNow();
    EXPECT_EQ(wakes, 1);  // the optimistic first try, then parked
    // An event carrying slot 0's *old* generation: (0 << 32) | 0.
    internal::sys::InjectEvent(0, EPOLLIN);
    for (int i = 0; i < 200; ++i) co_await YieldNow();  // polled meanwhile
    EXPECT_EQ(wakes, 1) << "the stale event woke the slot's new owner";
    EXPECT_EQ(write(second[1], "x", 1), 1);  // a real event still works
    while (wakes < 2) co_await YieldNow();
    reader.Abort();
    close(first[1]);
    close(second[1]);
  });
}

TEST_F(FaultInjection, EchoServerLosesOnlyTheFailingConnection) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TcpListener listener = co_await Listen();
    examples::EchoStats stats;
    auto server = Spawn(examples::RunEchoServer(listener, &stats));
    auto doomed = co_await TcpStream::Connect(listener.LocalAddr());
    // The next recv in this process is the server's, on the doomed
    // connection (this task does not read until the server has failed).
    InjectFault(Call::kRecv, 1, ECONNRESET);
    EXPECT_TRUE((co_await doomed->WriteAll(std::string("a"))).ok());
    while (stats.failed == 0) co_await YieldNow();
    std::string rest;
    // Closed by the server: EOF, or a reset since "a" was never read.
    auto n = co_await doomed->ReadToEnd(rest);
    EXPECT_TRUE(n.ok() || absl::IsUnavailable(n.status())) << n.status();
    EXPECT_TRUE(rest.empty());
    auto fine = co_await TcpStream::Connect(listener.LocalAddr());
    EXPECT_TRUE((co_await fine->WriteAll(std::string("b"))).ok());
    char c;
    EXPECT_TRUE((co_await fine->ReadExact(std::span<char>(&c, 1))).ok());
    EXPECT_EQ(c, 'b');
    EXPECT_EQ(stats.failed, 1u);
    server.Abort();
  });
}

}  // namespace
}  // namespace weft
