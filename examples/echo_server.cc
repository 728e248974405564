#include "examples/echo_server.h"

#include <cstdio>
#include <utility>

#include "net/copy.h"
#include "net/split.h"
#include "runtime/sleep.h"
#include "runtime/spawn.h"

namespace weft::examples {

Task<> ServeEcho(net::TcpStream stream, EchoStats* stats) {
  ConnectionTracker::Guard open(stats->connections);
  auto [reader, writer] = stream.Split();
  absl::StatusOr<uint64_t> copied = co_await io::Copy(reader, writer);
  if (copied.ok()) {
    ++stats->finished;
  } else {
    ++stats->failed;
    std::fprintf(stderr, "echo: connection failed: %s\n",
                 copied.status().ToString().c_str());
  }
}

Task<absl::Status> RunEchoServer(net::TcpListener& listener, EchoStats* stats) {
  for (;;) {
    auto accepted = co_await listener.Accept();
    if (!accepted.ok()) {
      if (!net::IsResourceExhausted(accepted.status())) {
        co_return accepted.status();
      }
      // Out of descriptors: the connection stays queued, so accepting
      // again at once would spin. Wait for connections to close.
      ++stats->accept_backoffs;
      co_await Sleep(kAcceptBackoff);
      continue;
    }
    ++stats->accepted;
    Spawn(ServeEcho, std::move(accepted->first), stats);
  }
}

Task<absl::Status> RunSequentialEchoServer(net::TcpListener& listener,
                                           EchoStats* stats) {
  for (;;) {
    auto accepted = co_await listener.Accept();
    if (!accepted.ok()) {
      if (!net::IsResourceExhausted(accepted.status())) {
        co_return accepted.status();
      }
      ++stats->accept_backoffs;
      co_await Sleep(kAcceptBackoff);
      continue;
    }
    ++stats->accepted;
    // Awaited here, not spawned: the next Accept() happens only after this
    // client is done, so a second client waits in the listen backlog.
    co_await ServeEcho(std::move(accepted->first), stats);
  }
}

}  // namespace weft::examples
