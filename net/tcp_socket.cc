#include "net/tcp_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "runtime/io/async_fd.h"

namespace weft::net {
absl::StatusOr<TcpSocket> TcpSocket::NewV4() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "tcp_socket new_v4");
  return TcpSocket(fd);
}

absl::StatusOr<TcpSocket> TcpSocket::NewV6() {
  const int fd =
      socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "tcp_socket new_v6");
  return TcpSocket(fd);
}

absl::StatusOr<TcpSocket> TcpSocket::For(const SocketAddr& addr) {
  const int fd =
      socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return SocketError("socket", addr, errno);
  return TcpSocket(fd);
}

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    bound_ = std::move(other.bound_);
  }
  return *this;
}

TcpSocket::~TcpSocket() {
  if (fd_ >= 0) close(fd_);
}

absl::Status TcpSocket::Error(const char* what, int err) const {
  return absl::ErrnoToStatus(
      err, bound_ ? absl::StrCat(what, " ", bound_->ToString()) : what);
}

absl::Status TcpSocket::Set(int level, int name, int value, const char* what) {
  if (setsockopt(fd_, level, name, &value, sizeof value) != 0) {
    return Error(what, errno);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> TcpSocket::Get(int level, int name,
                                   const char* what) const {
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd_, level, name, &value, &len) != 0)
    return Error(what, errno);
  return value;
}

absl::Status TcpSocket::SetReuseAddr(bool on) {
  return Set(SOL_SOCKET, SO_REUSEADDR, on, "set_reuseaddr");
}
absl::StatusOr<bool> TcpSocket::ReuseAddr() const {
  absl::StatusOr<int> v = Get(SOL_SOCKET, SO_REUSEADDR, "reuseaddr");
  if (!v.ok()) return v.status();
  return *v != 0;
}
absl::Status TcpSocket::SetReusePort(bool on) {
  return Set(SOL_SOCKET, SO_REUSEPORT, on, "set_reuseport");
}
absl::StatusOr<bool> TcpSocket::ReusePort() const {
  absl::StatusOr<int> v = Get(SOL_SOCKET, SO_REUSEPORT, "reuseport");
  if (!v.ok()) return v.status();
  return *v != 0;
}
absl::Status TcpSocket::SetKeepAlive(bool on) {
  return Set(SOL_SOCKET, SO_KEEPALIVE, on, "set_keepalive");
}
absl::StatusOr<bool> TcpSocket::KeepAlive() const {
  absl::StatusOr<int> v = Get(SOL_SOCKET, SO_KEEPALIVE, "keepalive");
  if (!v.ok()) return v.status();
  return *v != 0;
}
absl::Status TcpSocket::SetNoDelay(bool on) {
  return Set(IPPROTO_TCP, TCP_NODELAY, on, "set_nodelay");
}
absl::StatusOr<bool> TcpSocket::NoDelay() const {
  absl::StatusOr<int> v = Get(IPPROTO_TCP, TCP_NODELAY, "nodelay");
  if (!v.ok()) return v.status();
  return *v != 0;
}
absl::Status TcpSocket::SetSendBufferSize(int bytes) {
  return Set(SOL_SOCKET, SO_SNDBUF, bytes, "set_send_buffer_size");
}
absl::StatusOr<int> TcpSocket::SendBufferSize() const {
  return Get(SOL_SOCKET, SO_SNDBUF, "send_buffer_size");
}
absl::Status TcpSocket::SetRecvBufferSize(int bytes) {
  return Set(SOL_SOCKET, SO_RCVBUF, bytes, "set_recv_buffer_size");
}
absl::StatusOr<int> TcpSocket::RecvBufferSize() const {
  return Get(SOL_SOCKET, SO_RCVBUF, "recv_buffer_size");
}

absl::Status TcpSocket::SetLinger(std::optional<std::chrono::seconds> timeout) {
  linger value{};
  value.l_onoff = timeout.has_value();
  value.l_linger = timeout ? static_cast<int>(timeout->count()) : 0;
  if (setsockopt(fd_, SOL_SOCKET, SO_LINGER, &value, sizeof value) != 0) {
    return Error("set_linger", errno);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::chrono::seconds>> TcpSocket::Linger() const {
  linger value{};
  socklen_t len = sizeof value;
  if (getsockopt(fd_, SOL_SOCKET, SO_LINGER, &value, &len) != 0) {
    return Error("linger", errno);
  }
  if (!value.l_onoff) return std::optional<std::chrono::seconds>();
  return std::optional<std::chrono::seconds>(value.l_linger);
}

absl::Status TcpSocket::Bind(const SocketAddr& addr) {
  if (bind(fd_, addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    return SocketError("bind", addr, errno);
  }
  bound_ = addr;
  return absl::OkStatus();
}

absl::StatusOr<SocketAddr> TcpSocket::LocalAddr() const {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return Error("local_addr", errno);
  }
  return SocketAddr::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

Task<absl::StatusOr<TcpStream>> TcpSocket::Connect(SocketAddr addr) && {
  absl::StatusOr<AsyncFd> io = AsyncFd::Create(std::exchange(fd_, -1));
  if (!io.ok()) co_return io.status();
  absl::StatusOr<TcpStream> stream =
      co_await TcpStream::ConnectOn(*std::move(io), std::move(addr));
  co_return stream;
}

absl::StatusOr<TcpListener> TcpSocket::Listen(int backlog) && {
  if (listen(fd_, backlog) != 0) return Error("listen", errno);
  absl::StatusOr<SocketAddr> local = LocalAddr();
  if (!local.ok()) return local.status();
  absl::StatusOr<AsyncFd> io = AsyncFd::Create(std::exchange(fd_, -1));
  if (!io.ok()) return io.status();
  return TcpListener(*std::move(io), *std::move(local));
}

}  // namespace weft::net
