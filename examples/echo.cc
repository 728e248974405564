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
// stop (docs/graceful-stop.md): Ctrl-C (SIGINT) or SIGTERM stops
// accepting, gives open connections --grace to finish (a second signal
// ends it at once), cuts off the rest, says how many it closed, exits 0.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "net/accept_with_backoff.h"
#include "net/copy.h"
#include "net/split.h"
#include "net/tcp_listener.h"
#include "net/unix_stream.h"
#include "runtime/weft.h"

namespace {

using weft::CancellationToken;
using weft::Spawn;
using weft::StopSignal;
using weft::Task;
using weft::TaskTracker;
using weft::net::TcpListener;
using weft::net::TcpStream;
using weft::net::UnixListener;
using weft::net::UnixStream;

// One connection: what the client sends comes back, until it closes.
Task<> Echo(TcpStream stream) {
  (void)stream.SetNoDelay(true);  // each reply now, not after a delayed ACK
  auto [reader, writer] = stream.Split();
  absl::StatusOr<uint64_t> copied = co_await weft::io::Copy(reader, writer);
  if (!copied.ok()) {
    std::fprintf(stderr, "echo: %s\n", copied.status().ToString().c_str());
  }
}

// The same on a Unix socket; its one task reads and writes it in turn.
Task<> Echo(UnixStream stream) {
  absl::StatusOr<uint64_t> copied = co_await weft::io::Copy(stream, stream);
  if (!copied.ok()) {
    std::fprintf(stderr, "echo: %s\n", copied.status().ToString().c_str());
  }
}

// The accept loop (a TcpListener or a UnixListener), until `shutdown`.
// Each connection is spawned through `connections`, which counts it until
// its task is gone, so that the stop can wait for them.
template <class Listener>
Task<absl::Status> Serve(Listener& listener, CancellationToken shutdown,
                         TaskTracker connections) {
  for (;;) {
    auto accepted = co_await shutdown.RunUntilCancelled(
        weft::net::AcceptWithBackoff(listener));
    if (!accepted) co_return absl::OkStatus();  // shut down
    if (!accepted->ok()) co_return accepted->status();
    auto [stream, peer] = **std::move(accepted);
    connections.Spawn(Echo(std::move(stream)));  // and accept again at once
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

  CancellationToken shutdown;
  TaskTracker connections;
  auto server = tcp ? Spawn(Serve(*tcp, shutdown, connections))
                    : Spawn(Serve(*unix_listener, shutdown, connections));

  const int signo = co_await stop->Wait();

  // 1. Stop accepting: end the accept loop, close the port.
  shutdown.Cancel();
  (void)co_await server;
  tcp.reset();
  if (unix_listener) {
    unix_listener.reset();
    unlink(unix_path.c_str());  // nothing else removes the socket file
  }
  connections.Close();  // no more will come: Wait() may complete
  const size_t open = connections.Len();
  std::printf(
      "echo: SIG%s: stopped accepting; %zu connection%s open, "
      "waiting up to %lld ms (signal again to stop now)\n",
      sigabbrev_np(signo), open, open == 1 ? "" : "s",
      static_cast<long long>(grace.count()));
  std::fflush(stdout);

  // 2. Give the open connections the grace period, or until a second
  //    signal.
  (void)co_await weft::Select(connections.Wait(), weft::Sleep(grace),
                              stop->Wait());
  const size_t cut_off = connections.Len();

  // 3. The rest are cut off when the runtime shuts down (their tasks are
  //    cancelled; their sockets close).
  std::printf(
      "echo: shut down: closed %zu connection%s (%zu finished, %zu "
      "cut off)\n",
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
