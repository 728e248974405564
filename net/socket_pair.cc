#include "net/socket_pair.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"

namespace weft::net::internal {

absl::StatusOr<std::pair<AsyncFd, AsyncFd>> SocketPairFds(int type) {
  int fds[2];
  if (socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
    return absl::ErrnoToStatus(errno, "socketpair");
  }
  absl::StatusOr<AsyncFd> a = AsyncFd::Create(fds[0]);
  if (!a.ok()) {
    close(fds[1]);
    return a.status();
  }
  absl::StatusOr<AsyncFd> b = AsyncFd::Create(fds[1]);
  if (!b.ok()) return b.status();
  return std::pair<AsyncFd, AsyncFd>(*std::move(a), *std::move(b));
}

}  // namespace weft::net::internal
