#include "net/datagram_socket.h"

#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "net/socket_addr.h"
#include "net/socket_error.h"
#include "net/unix_addr.h"

namespace weft::net {
namespace {

// The sender's address as each address type reads it.
absl::StatusOr<SocketAddr> From(const sockaddr_storage& from, socklen_t len,
                                const SocketAddr*) {
  return SocketAddr::FromSockaddr(reinterpret_cast<const sockaddr*>(&from),
                                  len);
}
absl::StatusOr<UnixAddr> From(const sockaddr_storage& from, socklen_t len,
                              const UnixAddr*) {
  return UnixAddr::FromSockaddr(reinterpret_cast<const sockaddr*>(&from), len);
}

}  // namespace

template <class Addr>
absl::Status DatagramSocket<Addr>::Connect(const Addr& addr) {
  if (connect(io_.fd(), addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    return SocketError("connect", addr, errno);
  }
  peer_ = addr;
  return absl::OkStatus();
}

template <class Addr>
absl::StatusOr<Addr> DatagramSocket<Addr>::PeerAddr() const {
  if (!peer_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "peer_addr ", local_.ToString(), ": the socket is not connected"));
  }
  return *peer_;
}

template <class Addr>
std::optional<absl::StatusOr<std::pair<size_t, Addr>>>
DatagramSocket<Addr>::TryReceive(std::span<char> buf, int flags,
                                 const char* operation) {
  sockaddr_storage from;
  socklen_t from_len = sizeof from;
  // MSG_TRUNC: the datagram's real length, even when it does not fit.
  const std::optional<ssize_t> n = io_.TryIo(AsyncFd::Interest::kReadable, [&] {
    return io_.RecvFrom(buf, flags | MSG_TRUNC, &from, &from_len);
  });
  if (!n) return std::nullopt;
  if (*n < 0) return SocketError(operation, Named(), static_cast<int>(-*n));
  absl::StatusOr<Addr> sender = From(from, from_len, &local_);
  if (!sender.ok()) return sender.status();
  const size_t size = static_cast<size_t>(*n);
  if (size > buf.size()) {
    return absl::OutOfRangeError(absl::StrCat(
        operation, " ", Named().ToString(), ": a datagram of ", size,
        " bytes from ", sender->ToString(), " does not fit ", buf.size()));
  }
  return std::pair<size_t, Addr>(size, *std::move(sender));
}

template <class Addr>
Task<absl::StatusOr<std::pair<size_t, Addr>>> DatagramSocket<Addr>::Receive(
    std::span<char> buf, int flags, const char* operation) {
  for (;;) {
    std::optional<absl::StatusOr<std::pair<size_t, Addr>>> got =
        TryReceive(buf, flags, operation);
    if (got) co_return *std::move(got);
    co_await io_.Readable();
  }
}

template <class Addr>
std::optional<absl::StatusOr<std::pair<size_t, Addr>>>
DatagramSocket<Addr>::TryRecvFrom(std::span<char> buf) {
  return TryReceive(buf, 0, "recv_from");
}

template <class Addr>
Task<absl::StatusOr<std::pair<size_t, Addr>>> DatagramSocket<Addr>::RecvFrom(
    std::span<char> buf) {
  return Receive(buf, 0, "recv_from");
}

template <class Addr>
Task<absl::StatusOr<std::pair<size_t, Addr>>> DatagramSocket<Addr>::PeekFrom(
    std::span<char> buf) {
  return Receive(buf, MSG_PEEK, "peek_from");
}

template <class Addr>
Task<absl::StatusOr<size_t>> DatagramSocket<Addr>::Recv(std::span<char> buf) {
  absl::StatusOr<std::pair<size_t, Addr>> got =
      co_await Receive(buf, 0, "recv");
  if (!got.ok()) co_return got.status();
  co_return got->first;
}

template <class Addr>
Task<absl::StatusOr<size_t>> DatagramSocket<Addr>::Peek(std::span<char> buf) {
  absl::StatusOr<std::pair<size_t, Addr>> got =
      co_await Receive(buf, MSG_PEEK, "peek");
  if (!got.ok()) co_return got.status();
  co_return got->first;
}

template <class Addr>
std::optional<absl::StatusOr<size_t>> DatagramSocket<Addr>::TrySend(
    std::span<const char> datagram, const Addr* to, const char* operation) {
  const std::optional<ssize_t> n = io_.TryIo(AsyncFd::Interest::kWritable, [&] {
    return to == nullptr
               ? io_.SendTo(datagram, nullptr, 0)
               : io_.SendTo(datagram, to->sockaddr_ptr(), to->sockaddr_len());
  });
  if (!n) return std::nullopt;
  if (*n < 0) {
    return SocketError(operation, to == nullptr ? *peer_ : *to,
                       static_cast<int>(-*n));
  }
  return static_cast<size_t>(*n);
}

template <class Addr>
std::optional<absl::StatusOr<size_t>> DatagramSocket<Addr>::TrySendTo(
    std::span<const char> datagram, const Addr& to) {
  return TrySend(datagram, &to, "send_to");
}

template <class Addr>
Task<absl::StatusOr<size_t>> DatagramSocket<Addr>::SendTo(
    std::span<const char> datagram, Addr to) {
  for (;;) {
    std::optional<absl::StatusOr<size_t>> sent =
        TrySend(datagram, &to, "send_to");
    if (sent) co_return *std::move(sent);
    co_await io_.Writable();
  }
}

template <class Addr>
Task<absl::StatusOr<size_t>> DatagramSocket<Addr>::Send(
    std::span<const char> datagram) {
  if (!peer_) co_return PeerAddr().status();
  for (;;) {
    std::optional<absl::StatusOr<size_t>> sent =
        TrySend(datagram, nullptr, "send");
    if (sent) co_return *std::move(sent);
    co_await io_.Writable();
  }
}

template class DatagramSocket<SocketAddr>;
template class DatagramSocket<UnixAddr>;

}  // namespace weft::net
