#include "net/tcp_stream.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/strings/str_cat.h"
#include "net/io_ext.h"
#include "net/lookup_host.h"
#include "net/split.h"
#include "net/tcp_socket.h"

namespace weft::net {

absl::Status SocketError(const char* operation, const SocketAddr& addr,
                         int err) {
  return absl::ErrnoToStatus(err,
                             absl::StrCat(operation, " ", addr.ToString()));
}

absl::Status TcpStream::Error(const char* operation, int err) const {
  return SocketError(operation, peer_, err);
}

Task<absl::StatusOr<TcpStream>> TcpStream::Connect(SocketAddr addr) {
  absl::StatusOr<TcpSocket> socket = TcpSocket::For(addr);
  if (!socket.ok()) co_return socket.status();
  absl::StatusOr<TcpStream> stream =
      co_await std::move(*socket).Connect(std::move(addr));
  co_return stream;
}

Task<absl::StatusOr<TcpStream>> TcpStream::ConnectOn(AsyncFd io,
                                                     SocketAddr addr) {
  const int fd = io.fd();
  if (connect(fd, addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    if (errno != EINPROGRESS) co_return SocketError("connect", addr, errno);
    // In progress: the socket turns writable once connected or failed.
    // Forget the optimistic readiness AsyncFd starts with, then wait.
    io.ClearWritable();
    co_await io.Writable();
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) co_return SocketError("connect", addr, err);
  }
  co_return TcpStream(std::move(io), addr);
}

Task<absl::StatusOr<TcpStream>> TcpStream::Connect(std::string addr) {
  // The first address that connects wins, else the last error.
  absl::StatusOr<TcpStream> stream = co_await FirstThatWorks<TcpStream>(
      std::move(addr), [](const SocketAddr& a) { return Connect(a); });
  co_return stream;
}

absl::StatusOr<TcpStream> TcpStream::FromFd(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("from_fd ", fd));
  }
  absl::StatusOr<SocketAddr> peer =
      SocketAddr::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  if (!peer.ok()) return peer.status();
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return SocketError("from_fd", *peer, errno);
  }
  absl::StatusOr<AsyncFd> io = AsyncFd::Create(fd);
  if (!io.ok()) return io.status();
  return TcpStream(*std::move(io), *peer);
}

absl::StatusOr<size_t> TcpStream::ReadDone(std::span<char> buf, ssize_t n) {
  if (n < 0) return Error("read", static_cast<int>(-n));
  // A short read drained the socket: the next read would only get EAGAIN,
  // so skip that syscall. New data is a new epoll edge.
  if (n > 0 && static_cast<size_t>(n) < buf.size()) io_.ClearReadable();
  return static_cast<size_t>(n);
}

absl::StatusOr<size_t> TcpStream::WriteDone(std::span<const char> buf,
                                            ssize_t n) {
  if (n < 0) return Error("write", static_cast<int>(-n));
  // A short write filled the send buffer: the next would get EAGAIN.
  if (static_cast<size_t>(n) < buf.size()) io_.ClearWritable();
  return static_cast<size_t>(n);
}

std::optional<absl::StatusOr<size_t>> TcpStream::TryRead(std::span<char> buf) {
  const std::optional<ssize_t> n =
      io_.TryIo(AsyncFd::Interest::kReadable, [&] { return io_.Recv(buf); });
  if (!n) return std::nullopt;
  return ReadDone(buf, *n);
}

std::optional<absl::StatusOr<size_t>> TcpStream::TryWrite(
    std::span<const char> buf) {
  const std::optional<ssize_t> n =
      io_.TryIo(AsyncFd::Interest::kWritable, [&] { return io_.Send(buf); });
  if (!n) return std::nullopt;
  return WriteDone(buf, *n);
}

Task<absl::StatusOr<size_t>> TcpStream::Read(std::span<char> buf) {
  return io_.AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kReadable, [this, buf] { return io_.Recv(buf); },
      [this, buf](ssize_t n) { return ReadDone(buf, n); });
}

Task<absl::StatusOr<size_t>> TcpStream::Write(std::span<const char> buf) {
  return io_.AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kWritable, [this, buf] { return io_.Send(buf); },
      [this, buf](ssize_t n) { return WriteDone(buf, n); });
}

Task<absl::StatusOr<size_t>> TcpStream::Peek(std::span<char> buf) {
  return io_.AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kReadable,
      [this, buf] { return io_.RecvFrom(buf, MSG_PEEK, nullptr, nullptr); },
      [this](ssize_t n) -> absl::StatusOr<size_t> {
        if (n < 0) return Error("peek", static_cast<int>(-n));
        return static_cast<size_t>(n);
      });
}

Task<absl::Status> TcpStream::ReadExact(std::span<char> buf) {
  return io::ReadExact(*this, buf);
}

Task<absl::StatusOr<size_t>> TcpStream::ReadToEnd(std::string& out) {
  return io::ReadToEnd(*this, out);
}

Task<absl::Status> TcpStream::WriteAll(std::span<const char> buf) {
  return io::WriteAll(*this, buf);
}

absl::Status TcpStream::Shutdown() {
  if (shutdown(io_.fd(), SHUT_WR) != 0) return Error("shutdown", errno);
  return absl::OkStatus();
}

absl::Status TcpStream::SetNoDelay(bool on) {
  const int value = on ? 1 : 0;
  if (setsockopt(io_.fd(), IPPROTO_TCP, TCP_NODELAY, &value, sizeof value) !=
      0) {
    return Error("set_nodelay", errno);
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketAddr> TcpStream::LocalAddr() const {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(io_.fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return Error("local_addr", errno);
  }
  return SocketAddr::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

std::pair<ReadHalf, WriteHalf> TcpStream::Split() {
  return {ReadHalf(this), WriteHalf(this)};
}

std::pair<OwnedReadHalf, OwnedWriteHalf> TcpStream::IntoSplit() && {
  auto shared = std::make_shared<TcpStream>(std::move(*this));
  return {OwnedReadHalf(shared), OwnedWriteHalf(shared)};
}

}  // namespace weft::net
