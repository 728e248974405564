#include "net/connect.h"

#include <cerrno>

namespace weft::net::internal {

Task<int> ConnectOn(AsyncFd& io, const sockaddr* addr, socklen_t len) {
  if (connect(io.fd(), addr, len) == 0) co_return 0;
  if (errno != EINPROGRESS) co_return errno;
  // In progress: the socket turns writable once connected or failed.
  // Forget the optimistic readiness AsyncFd starts with, then wait.
  io.ClearWritable();
  co_await io.Writable();
  int err = 0;
  socklen_t err_len = sizeof err;
  if (getsockopt(io.fd(), SOL_SOCKET, SO_ERROR, &err, &err_len) != 0) {
    err = errno;
  }
  co_return err;
}

}  // namespace weft::net::internal
