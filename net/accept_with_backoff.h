// AcceptWithBackoff: the accept a server's loop wants (tokio users write
// it by hand, after hyper's and tonic's).
//
//   for (;;) {
//     auto accepted = co_await weft::net::AcceptWithBackoff(listener);
//     if (!accepted.ok()) co_return accepted.status();  // the loop ends
//     auto [stream, peer] = *std::move(accepted);
//     Spawn(Serve(std::move(stream)));
//   }
//
// Accept() already retries what is transient (a client that gave up while
// queued). Out of descriptors or memory (net::IsResourceExhausted), the
// connection stays queued in the kernel, so accepting again at once would
// spin: this waits kAcceptBackoff for connections to close and tries
// again. Any other error is returned: the loop should end.
#ifndef WEFT_NET_ACCEPT_WITH_BACKOFF_H_
#define WEFT_NET_ACCEPT_WITH_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <utility>

#include "net/tcp_listener.h"
#include "runtime/task/task.h"
#include "runtime/time/sleep.h"

namespace weft::net {

// Long enough not to spin on a connection that cannot be taken, short
// enough to notice descriptors freed.
inline constexpr std::chrono::milliseconds kAcceptBackoff{50};

// What `Listener::Accept()` yields: StatusOr<{stream, peer address}>.
template <class Listener>
using AcceptResult =
    typename decltype(std::declval<Listener&>().Accept())::value_type;

// The next connection of `listener` (a TcpListener or a UnixListener), or
// the error that ends the accept loop. Each pause adds one to `*backoffs`,
// if given (a server's counters). Cancel-safe as Accept() is: dropped in
// a lost Select branch, it loses no connection (the kernel keeps it).
template <class Listener>
Task<AcceptResult<Listener>> AcceptWithBackoff(Listener& listener,
                                               uint64_t* backoffs = nullptr) {
  for (;;) {
    AcceptResult<Listener> accepted = co_await listener.Accept();
    if (accepted.ok() || !net::IsResourceExhausted(accepted.status())) {
      co_return std::move(accepted);
    }
    if (backoffs != nullptr) ++*backoffs;
    co_await Sleep(kAcceptBackoff);
  }
}

}  // namespace weft::net

#endif  // WEFT_NET_ACCEPT_WITH_BACKOFF_H_
