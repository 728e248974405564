#include "examples/echo_server.h"

#include <cstdio>
#include <utility>

#include "net/accept_with_backoff.h"
#include "net/copy.h"
#include "net/split.h"
#include "runtime/weft.h"

namespace weft::examples {

Task<> ServeEcho(net::TcpStream stream, EchoStats* stats) {
  // Echo replies go out as soon as they are read: with Nagle's algorithm
  // on, a reply that does not fill a segment waits for the client's
  // delayed ACK (40 ms here, seen with 16 KiB messages). The application
  // knows its traffic, so it decides, as with tokio; weft does not change
  // the kernel's default behind its back.
  if (absl::Status s = stream.SetNoDelay(true); !s.ok()) {
    std::fprintf(stderr, "echo: %s\n", s.ToString().c_str());
  }
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

// The next connection, counted (accept_with_backoff.h says what happens
// when out of descriptors).
Task<absl::StatusOr<net::TcpStream>> Accept(net::TcpListener& listener,
                                            EchoStats* stats) {
  auto accepted =
      co_await net::AcceptWithBackoff(listener, &stats->accept_backoffs);
  if (!accepted.ok()) co_return accepted.status();
  ++stats->accepted;
  co_return std::move(accepted->first);
}

Task<absl::Status> RunEchoServer(net::TcpListener& listener, EchoStats* stats) {
  for (;;) {
    absl::StatusOr<net::TcpStream> stream = co_await Accept(listener, stats);
    if (!stream.ok()) co_return stream.status();
    // Spawned: the loop goes straight back to accepting.
    stats->connections.Spawn(ServeEcho(*std::move(stream), stats));
  }
}

Task<absl::Status> RunSequentialEchoServer(net::TcpListener& listener,
                                           EchoStats* stats) {
  for (;;) {
    absl::StatusOr<net::TcpStream> stream = co_await Accept(listener, stats);
    if (!stream.ok()) co_return stream.status();
    // Awaited here, not spawned: the next Accept() happens only after this
    // client is done, so a second client waits in the listen backlog.
    co_await stats->connections.Track(ServeEcho(*std::move(stream), stats));
  }
}

}  // namespace weft::examples
