// The lesson: an echo server that serves every client at once.
//
// Run it:  tools/bazel run //examples:echo [-- --addr=127.0.0.1:8080]
// Try it:  nc 127.0.0.1 8080   (in several terminals at once)
// Or on a Unix socket: --unix=/tmp/echo.sock, and nc -U /tmp/echo.sock
//
// The accept loop hands each connection to Spawn and goes straight back to
// Accept(), so every client is echoed at once, all on one thread. Compare
// //examples:echo_sequential, which awaits each client instead of spawning
// it, and serves one at a time. Below the lesson, main() adds a graceful
// stop: Ctrl-C (SIGINT) or SIGTERM stops accepting, gives open connections
// --grace to finish, cuts off the rest, says how many it closed, exits 0.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "examples/accept_with_backoff.h"
#include "examples/connection_tracker.h"
#include "examples/stop_signal.h"
#include "net/copy.h"
#include "net/split.h"
#include "net/tcp_listener.h"
#include "net/unix_stream.h"
#include "runtime/weft.h"

namespace {

using weft::Spawn;
using weft::Task;
using weft::examples::ConnectionTracker;
using weft::examples::StopSignal;
using weft::net::TcpListener;
using weft::net::TcpStream;
using weft::net::UnixListener;
using weft::net::UnixStream;

// One connection: what the client sends comes back, until it closes.
Task<> Echo(TcpStream stream, const ConnectionTracker* connections) {
  ConnectionTracker::Guard open(*connections);
  (void)stream.SetNoDelay(true);  // each reply now, not after a delayed ACK
  auto [reader, writer] = stream.Split();
  absl::StatusOr<uint64_t> copied = co_await weft::io::Copy(reader, writer);
  if (!copied.ok()) {
    std::fprintf(stderr, "echo: %s\n", copied.status().ToString().c_str());
  }
}

// The same on a Unix socket; its one task reads and writes it in turn.
Task<> Echo(UnixStream stream, const ConnectionTracker* connections) {
  ConnectionTracker::Guard open(*connections);
  absl::StatusOr<uint64_t> copied = co_await weft::io::Copy(stream, stream);
  if (!copied.ok()) {
    std::fprintf(stderr, "echo: %s\n", copied.status().ToString().c_str());
  }
}

// The accept loop (a TcpListener or a UnixListener).
template <class Listener>
Task<absl::Status> Serve(Listener& listener,
                         const ConnectionTracker* connections) {
  for (;;) {
    auto accepted = co_await weft::examples::AcceptWithBackoff(listener);
    if (!accepted.ok()) co_return accepted.status();
    auto [stream, peer] = *std::move(accepted);
    Spawn(Echo(std::move(stream), connections));  // and accept again at once
  }
}

}  // namespace

// The graceful stop, below the lesson.
ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "address to listen on");
ABSL_FLAG(std::string, unix, "",
          "a Unix socket path to listen on instead of --addr (a stale "
          "socket file there is replaced)");
ABSL_FLAG(absl::Duration, grace, absl::Seconds(5),
          "on SIGINT/SIGTERM, how long open connections get to finish");

namespace {

Task<int> Main(std::string addr, std::string unix_path,
               std::chrono::milliseconds grace) {
  // Listen before anything else runs, so no early signal is missed.
  absl::StatusOr<StopSignal> stop = StopSignal::Listen();
  if (!stop.ok()) {
    std::fprintf(stderr, "echo: %s\n", stop.status().ToString().c_str());
    co_return 1;
  }
  // One of the two listeners, as the flags ask.
  std::optional<TcpListener> tcp;
  std::optional<UnixListener> unix_listener;
  absl::Status bound;
  if (!unix_path.empty()) {
    auto listener = UnixListener::Bind(unix_path, {.remove_stale = true});
    bound = listener.status();
    if (listener.ok()) unix_listener = *std::move(listener);
  } else {
    auto listener = co_await TcpListener::Bind(addr);
    bound = listener.status();
    if (listener.ok()) tcp = *std::move(listener);
  }
  if (!bound.ok()) {
    std::fprintf(stderr, "echo: %s\n", bound.ToString().c_str());
    co_return 1;
  }
  std::printf("echo: listening on %s\n",
              tcp ? tcp->LocalAddr().ToString().c_str()
                  : ("unix:" + unix_listener->LocalAddr().ToString()).c_str());
  std::fflush(stdout);

  ConnectionTracker connections;
  auto server = tcp ? Spawn(Serve(*tcp, &connections))
                    : Spawn(Serve(*unix_listener, &connections));

  const int signo = co_await stop->Wait();

  // 1. Stop accepting: end the accept loop, close the port.
  server.Abort();
  co_await server;
  tcp.reset();
  if (unix_listener) {
    unix_listener.reset();
    unlink(unix_path.c_str());  // nothing else removes the socket file
  }
  const size_t open = connections.open();
  std::printf(
      "echo: SIG%s: stopped accepting; %zu connection%s open, "
      "waiting up to %lld ms\n",
      sigabbrev_np(signo), open, open == 1 ? "" : "s",
      static_cast<long long>(grace.count()));
  std::fflush(stdout);

  // 2. Give the open connections the grace period.
  weft::TimeoutResult<void> idle =
      co_await weft::Timeout(grace, connections.WaitIdle());
  const size_t cut_off = connections.open();

  // 3. The rest are cut off when the runtime shuts down (their tasks are
  //    cancelled; their sockets close).
  std::printf(
      "echo: shut down: closed %zu connection%s (%zu finished, %zu "
      "cut off after the grace period)\n",
      open, open == 1 ? "" : "s", open - cut_off, cut_off);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  return runtime.BlockOn(
      Main(absl::GetFlag(FLAGS_addr), absl::GetFlag(FLAGS_unix),
           absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_grace))));
}
