#include "net/unix_datagram.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"

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
    return absl::ErrnoToStatus(errno, absl::StrCat("bind ", addr.ToString()));
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
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) !=
      0) {
    return absl::ErrnoToStatus(errno, "socketpair");
  }
  absl::StatusOr<AsyncFd> a = AsyncFd::Create(fds[0]);
  if (!a.ok()) {
    close(fds[1]);
    return a.status();
  }
  absl::StatusOr<AsyncFd> b = AsyncFd::Create(fds[1]);
  if (!b.ok()) return b.status();
  UnixDatagram first(*std::move(a), UnixAddr());
  UnixDatagram second(*std::move(b), UnixAddr());
  // Each is the other's peer: Send and Recv work at once.
  first.peer_ = UnixAddr();
  second.peer_ = UnixAddr();
  return std::pair<UnixDatagram, UnixDatagram>(std::move(first),
                                               std::move(second));
}

}  // namespace weft::net
