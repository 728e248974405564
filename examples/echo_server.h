// The echo server the examples and tests share: the lesson's accept loop.
//
//   for (;;) {
//     auto [stream, peer] = co_await listener.Accept();
//     Spawn(ServeEcho, std::move(stream));   // the accept loop goes on
//   }
//
// ServeEcho splits the stream and copies its read half into its write half
// until the client closes its side. A failing connection is logged and
// ends alone; the server keeps accepting.
#ifndef WEFT_EXAMPLES_ECHO_SERVER_H_
#define WEFT_EXAMPLES_ECHO_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::examples {

// Counts open connections, so a shutdown can wait for them to finish.
//
// The count lives in state shared with every connection's guard: a
// connection still open when the server and its owner are gone is
// cancelled at runtime shutdown, and its guard must still find the count.
class ConnectionTracker {
  struct State {
    size_t open = 0;
    Notify idle;
  };

 public:
  // Held by a connection's task for as long as it runs; its destructor runs
  // on completion and on cancellation alike.
  class Guard {
   public:
    explicit Guard(const ConnectionTracker& t) : state_(t.state_) {
      ++state_->open;
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (--state_->open == 0) state_->idle.NotifyWaiters();
    }

   private:
    std::shared_ptr<State> state_;
  };

  size_t open() const { return state_->open; }
  // Completes once no connection is open.
  Task<> WaitIdle() {
    std::shared_ptr<State> state = state_;  // the frame keeps it alive
    while (state->open > 0) co_await state->idle.Notified();
  }

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

struct EchoStats {
  uint64_t accepted = 0;
  uint64_t finished = 0;
  uint64_t failed = 0;           // connections that ended with an error
  uint64_t accept_backoffs = 0;  // EMFILE/ENFILE pauses
  ConnectionTracker connections;
};

// Echoes one connection until the client shuts down its writing.
Task<> ServeEcho(net::TcpStream stream, EchoStats* stats);

// How long the accept loop pauses when out of descriptors: long enough not
// to spin on a connection it cannot take, short enough to notice freed ones.
inline constexpr std::chrono::milliseconds kAcceptBackoff{50};

// The lesson's server: accept, Spawn a task per connection, repeat. Returns
// only on an accept error that is neither transient nor resource
// exhaustion.
Task<absl::Status> RunEchoServer(net::TcpListener& listener, EchoStats* stats);

// The lesson's first version: one client at a time, no Spawn.
Task<absl::Status> RunSequentialEchoServer(net::TcpListener& listener,
                                           EchoStats* stats);

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_ECHO_SERVER_H_
