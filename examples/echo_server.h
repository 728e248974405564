// The echo server of the lesson (examples/echo.cc), with counters, for the
// tests and tools that drive it from inside a process: the same accept
// loop, the same Spawn per connection, the same Split and io::Copy, and
// the one-at-a-time version (examples/echo_sequential.cc) beside it.
//
// A failing connection is logged and ends alone; the server keeps
// accepting.
#ifndef WEFT_EXAMPLES_ECHO_SERVER_H_
#define WEFT_EXAMPLES_ECHO_SERVER_H_

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::examples {

struct EchoStats {
  uint64_t accepted = 0;
  uint64_t finished = 0;
  uint64_t failed = 0;           // connections that ended with an error
  uint64_t accept_backoffs = 0;  // EMFILE/ENFILE pauses
  TaskTracker connections;       // the open ones: connections.Len()
};

// Echoes one connection until the client shuts down its writing.
Task<> ServeEcho(net::TcpStream stream, EchoStats* stats);

// The lesson's server: accept, Spawn a task per connection, repeat. Returns
// only on an accept error that is neither transient nor resource
// exhaustion.
Task<absl::Status> RunEchoServer(net::TcpListener& listener, EchoStats* stats);

// The lesson's first version: one client at a time, no Spawn.
Task<absl::Status> RunSequentialEchoServer(net::TcpListener& listener,
                                           EchoStats* stats);

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_ECHO_SERVER_H_
