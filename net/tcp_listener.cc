#include "net/tcp_listener.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "net/accept.h"
#include "net/lookup_host.h"
#include "net/tcp_socket.h"

namespace weft::net {

Task<absl::StatusOr<TcpListener>> TcpListener::Bind(SocketAddr addr) {
  absl::StatusOr<TcpSocket> socket = TcpSocket::For(addr);
  if (!socket.ok()) co_return socket.status();
  absl::Status s = socket->SetReuseAddr(true);
  if (s.ok()) s = socket->Bind(addr);
  if (!s.ok()) co_return s;
  co_return std::move(*socket).Listen(kBacklog);
}

Task<absl::StatusOr<TcpListener>> TcpListener::Bind(std::string addr) {
  // The first address that binds (as tokio's TcpListener::bind).
  absl::StatusOr<TcpListener> listener = co_await FirstThatWorks<TcpListener>(
      std::move(addr), [](const SocketAddr& a) { return Bind(a); });
  co_return listener;
}

Task<absl::StatusOr<std::pair<TcpStream, SocketAddr>>> TcpListener::Accept() {
  absl::StatusOr<internal::Accepted> got =
      co_await internal::AcceptOn(io_, local_);
  if (!got.ok()) co_return got.status();
  absl::StatusOr<SocketAddr> peer = SocketAddr::FromSockaddr(
      reinterpret_cast<sockaddr*>(&got->peer), got->peer_len);
  if (!peer.ok()) co_return peer.status();
  co_return std::pair<TcpStream, SocketAddr>(
      TcpStream(std::move(got->io), *peer), *peer);
}

bool IsResourceExhausted(const absl::Status& accept_error) {
  // absl::ErrnoToStatus maps EMFILE, ENFILE, ENOBUFS and ENOMEM here.
  return absl::IsResourceExhausted(accept_error);
}

}  // namespace weft::net
