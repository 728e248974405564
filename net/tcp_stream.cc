#include "net/tcp_stream.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/strings/str_cat.h"
#include "net/connect.h"
#include "net/lookup_host.h"
#include "net/split.h"
#include "net/tcp_socket.h"

namespace weft::net {

Task<absl::StatusOr<TcpStream>> TcpStream::Connect(SocketAddr addr) {
  absl::StatusOr<TcpSocket> socket = TcpSocket::For(addr);
  if (!socket.ok()) co_return socket.status();
  absl::StatusOr<TcpStream> stream =
      co_await std::move(*socket).Connect(std::move(addr));
  co_return stream;
}

Task<absl::StatusOr<TcpStream>> TcpStream::ConnectOn(AsyncFd io,
                                                     SocketAddr addr) {
  const int err = co_await internal::ConnectOn(io, addr.sockaddr_ptr(),
                                               addr.sockaddr_len());
  if (err != 0) co_return SocketError("connect", addr, err);
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
