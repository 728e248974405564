#include "net/unix_stream.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/strings/str_cat.h"
#include "net/accept.h"
#include "net/connect.h"
#include "net/socket_error.h"
#include "net/socket_pair.h"

namespace weft::net {
namespace {

// A new non-blocking, close-on-exec Unix socket of `type`, registered.
absl::StatusOr<AsyncFd> NewSocket(int type, const char* operation,
                                  const UnixAddr& addr) {
  const int fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return SocketError(operation, addr, errno);
  return AsyncFd::Create(fd);
}

// Whether a server answers at the socket file `addr`: a blocking connect
// from a fresh socket, refused only if nobody listens.
bool Answers(const UnixAddr& addr) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;  // cannot tell: leave the file alone
  const bool answered =
      connect(fd, addr.sockaddr_ptr(), addr.sockaddr_len()) == 0 ||
      errno != ECONNREFUSED;
  close(fd);
  return answered;
}

}  // namespace

Task<absl::StatusOr<UnixStream>> UnixStream::Connect(UnixAddr addr) {
  absl::StatusOr<AsyncFd> io = NewSocket(SOCK_STREAM, "connect", addr);
  if (!io.ok()) co_return io.status();
  const int err = co_await internal::ConnectOn(*io, addr.sockaddr_ptr(),
                                               addr.sockaddr_len());
  if (err != 0) co_return SocketError("connect", addr, err);
  co_return UnixStream(*std::move(io), std::move(addr));
}

Task<absl::StatusOr<UnixStream>> UnixStream::Connect(std::string_view path) {
  absl::StatusOr<UnixAddr> addr = UnixAddr::Path(path);
  if (!addr.ok()) co_return addr.status();
  absl::StatusOr<UnixStream> stream = co_await Connect(*std::move(addr));
  co_return stream;
}

absl::StatusOr<std::pair<UnixStream, UnixStream>> UnixStream::Pair() {
  auto fds = internal::SocketPairFds(SOCK_STREAM);
  if (!fds.ok()) return fds.status();
  return std::pair<UnixStream, UnixStream>(
      UnixStream(std::move(fds->first), UnixAddr()),
      UnixStream(std::move(fds->second), UnixAddr()));
}

absl::StatusOr<UnixAddr> UnixStream::LocalAddr() const {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(io_.fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return Error("local_addr", errno);
  }
  return UnixAddr::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

absl::StatusOr<UnixStream::Credentials> UnixStream::PeerCred() const {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(io_.fd(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return Error("peer_cred", errno);
  }
  return Credentials{cred.pid, cred.uid, cred.gid};
}

absl::StatusOr<UnixListener> UnixListener::Bind(UnixAddr addr,
                                                BindOptions options) {
  absl::StatusOr<AsyncFd> io = NewSocket(SOCK_STREAM, "bind", addr);
  if (!io.ok()) return io.status();
  if (bind(io->fd(), addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    const int err = errno;
    if (err != EADDRINUSE || !options.remove_stale || addr.is_abstract()) {
      return SocketError("bind", addr, err);
    }
    // Taken: remove the file only if it is a socket nobody answers on.
    const std::string path(addr.path());
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat("bind ", path,
                       ": the path is taken by something not a socket; "
                       "not removed"));
    }
    if (Answers(addr)) {
      return absl::FailedPreconditionError(
          absl::StrCat("bind ", path, ": a server is listening there"));
    }
    if (unlink(path.c_str()) != 0 && errno != ENOENT) {
      return SocketError("bind (removing the stale socket)", addr, errno);
    }
    if (bind(io->fd(), addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
      return SocketError("bind", addr, errno);
    }
  }
  if (listen(io->fd(), options.backlog) != 0) {
    return SocketError("listen", addr, errno);
  }
  return UnixListener(*std::move(io), std::move(addr));
}

absl::StatusOr<UnixListener> UnixListener::Bind(std::string_view path,
                                                BindOptions options) {
  absl::StatusOr<UnixAddr> addr = UnixAddr::Path(path);
  if (!addr.ok()) return addr.status();
  return Bind(*std::move(addr), options);
}

Task<absl::StatusOr<std::pair<UnixStream, UnixAddr>>> UnixListener::Accept() {
  absl::StatusOr<internal::Accepted> got =
      co_await internal::AcceptOn(io_, local_);
  if (!got.ok()) co_return got.status();
  UnixAddr peer = UnixAddr::FromSockaddr(
      reinterpret_cast<sockaddr*>(&got->peer), got->peer_len);
  co_return std::pair<UnixStream, UnixAddr>(
      UnixStream(std::move(got->io), peer), peer);
}

}  // namespace weft::net
