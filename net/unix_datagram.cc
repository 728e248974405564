#include "net/unix_datagram.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/socket_error.h"
#include "net/socket_pair.h"

namespace weft::net {
namespace {

absl::StatusOr<AsyncFd> NewDatagramSocket(const char* what) {
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, what);
  return AsyncFd::Create(fd);
}

}  // namespace

absl::StatusOr<UnixDatagram> UnixDatagram::Bind(UnixAddr addr) {
  absl::StatusOr<AsyncFd> io = NewDatagramSocket("bind");
  if (!io.ok()) return io.status();
  if (bind(io->fd(), addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    return SocketError("bind", addr, errno);
  }
  return UnixDatagram(*std::move(io), std::move(addr));
}

absl::StatusOr<UnixDatagram> UnixDatagram::Bind(std::string_view path) {
  absl::StatusOr<UnixAddr> addr = UnixAddr::Path(path);
  if (!addr.ok()) return addr.status();
  return Bind(*std::move(addr));
}

absl::StatusOr<UnixDatagram> UnixDatagram::Unbound() {
  absl::StatusOr<AsyncFd> io = NewDatagramSocket("unix_datagram unbound");
  if (!io.ok()) return io.status();
  return UnixDatagram(*std::move(io), UnixAddr());
}

absl::StatusOr<std::pair<UnixDatagram, UnixDatagram>> UnixDatagram::Pair() {
  auto fds = internal::SocketPairFds(SOCK_DGRAM);
  if (!fds.ok()) return fds.status();
  UnixDatagram first(std::move(fds->first), UnixAddr());
  UnixDatagram second(std::move(fds->second), UnixAddr());
  // Each is the other's peer: Send and Recv work at once.
  first.peer_ = UnixAddr();
  second.peer_ = UnixAddr();
  return std::pair<UnixDatagram, UnixDatagram>(std::move(first),
                                               std::move(second));
}

}  // namespace weft::net
