// AcceptOn: the accept loop both listeners share (TcpListener,
// UnixListener): wait for a connection, take it non-blocking, register it.
//
// Retries by itself on ECONNABORTED (the client gave up while queued) and
// EINTR; other errors, resource errors (EMFILE, ENFILE, ENOBUFS, ENOMEM)
// among them, are returned naming the listener's address, for the caller
// to back off: retrying at once would spin, since the pending connection
// stays queued.
#ifndef WEFT_NET_ACCEPT_H_
#define WEFT_NET_ACCEPT_H_

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket_error.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net::internal {

struct Accepted {
  AsyncFd io;
  sockaddr_storage peer;
  socklen_t peer_len;
};

template <class Addr>
Task<absl::StatusOr<Accepted>> AcceptOn(AsyncFd& listener, const Addr& local) {
  for (;;) {
    co_await listener.Readable();
    Accepted got{};
    const std::optional<ssize_t> accepted =
        listener.TryIo(AsyncFd::Interest::kReadable, [&] {
          got.peer_len = sizeof got.peer;
          return listener.Accept(&got.peer, &got.peer_len);
        });
    if (!accepted || *accepted == -ECONNABORTED) continue;  // try again
    if (*accepted < 0) {
      co_return SocketError("accept", local, static_cast<int>(-*accepted));
    }
    absl::StatusOr<AsyncFd> io = AsyncFd::Create(static_cast<int>(*accepted));
    if (!io.ok()) co_return io.status();
    got.io = *std::move(io);
    co_return std::move(got);
  }
}

}  // namespace weft::net::internal

#endif  // WEFT_NET_ACCEPT_H_
