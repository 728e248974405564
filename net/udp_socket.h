// UdpSocket: datagrams on the reactor (tokio's net::UdpSocket).
//
//   CO_ASSIGN_OR_RETURN(UdpSocket socket, co_await
//   UdpSocket::Bind("0.0.0.0:5353")); char buf[65536]; CO_ASSIGN_OR_RETURN(auto
//   got, co_await socket.RecvFrom(buf)); auto [n, from] = got; co_await
//   socket.SendTo(std::span(buf, n), from);
//
// Unconnected, a socket sends to any address (SendTo) and receives from
// any (RecvFrom). Connect(addr) fixes a peer: Send and Recv then talk to it
// alone, and the kernel drops datagrams from anyone else.
//
// Truncation is never silent: a datagram longer than the buffer is an
// OutOfRange error ("recv_from 0.0.0.0:5353: a datagram of 2000 bytes from
// 10.0.0.7:9000 does not fit 1500") with its first buf.size() bytes in the
// buffer; it is consumed (Peek and PeekFrom leave it for the next receive).
// A 64 KiB buffer holds any UDP datagram.
//
// Errors name the operation and an address (the destination for a send,
// the peer once connected, else the socket's own), as TCP's do. As with
// TcpStream, one task may receive while another sends.
#ifndef WEFT_NET_UDP_SOCKET_H_
#define WEFT_NET_UDP_SOCKET_H_

#include <sys/socket.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

class UdpSocket {
 public:
  // Binds to `addr` (port 0: any free port; LocalAddr() says which).
  static Task<absl::StatusOr<UdpSocket>> Bind(SocketAddr addr);
  // "ip:port", or "host:port" resolved with LookupHost.
  static Task<absl::StatusOr<UdpSocket>> Bind(std::string addr);

  UdpSocket(UdpSocket&&) = default;
  UdpSocket& operator=(UdpSocket&&) = default;

  // Fixes the peer: Send/Recv go to and come from it alone.
  absl::Status Connect(const SocketAddr& addr);

  // Connected only (else FailedPrecondition).
  Task<absl::StatusOr<size_t>> Send(std::span<const char> datagram);
  Task<absl::StatusOr<size_t>> Recv(std::span<char> buf);
  Task<absl::StatusOr<size_t>> Peek(std::span<char> buf);

  Task<absl::StatusOr<size_t>> SendTo(std::span<const char> datagram,
                                      SocketAddr to);
  Task<absl::StatusOr<std::pair<size_t, SocketAddr>>> RecvFrom(
      std::span<char> buf);
  Task<absl::StatusOr<std::pair<size_t, SocketAddr>>> PeekFrom(
      std::span<char> buf);

  // The readiness-first pair, for loops that must not allocate: wait, then
  // try once; nullopt means "not ready after all" (await again).
  AsyncFd::ReadinessAwaiter Readable() { return io_.Readable(); }
  AsyncFd::ReadinessAwaiter Writable() { return io_.Writable(); }
  std::optional<absl::StatusOr<std::pair<size_t, SocketAddr>>> TryRecvFrom(
      std::span<char> buf);
  std::optional<absl::StatusOr<size_t>> TrySendTo(
      std::span<const char> datagram, const SocketAddr& to);

  // Options (setsockopt); each error names the option and the socket.
  absl::Status SetBroadcast(bool on);
  absl::StatusOr<bool> Broadcast() const;
  absl::Status SetTtl(int ttl);
  // IPv4 multicast: `group` and `interface` are dotted quads ("0.0.0.0":
  // the kernel picks the interface).
  absl::Status JoinMulticastV4(std::string_view group,
                               std::string_view interface = "0.0.0.0");
  absl::Status LeaveMulticastV4(std::string_view group,
                                std::string_view interface = "0.0.0.0");
  absl::Status SetMulticastLoopV4(bool on);
  absl::Status SetMulticastTtlV4(int ttl);
  // IPv6 multicast: `group` in text form, `interface` an index (0: any).
  absl::Status JoinMulticastV6(std::string_view group, unsigned interface);
  absl::Status LeaveMulticastV6(std::string_view group, unsigned interface);
  absl::Status SetMulticastLoopV6(bool on);

  const SocketAddr& LocalAddr() const { return local_; }
  // The connected peer; FailedPrecondition if not connected.
  absl::StatusOr<SocketAddr> PeerAddr() const;
  int NativeHandle() const { return io_.fd(); }

 private:
  UdpSocket(AsyncFd io, SocketAddr local)
      : io_(std::move(io)), local_(std::move(local)) {}

  // One receive, waiting as needed; `from` null when connected.
  Task<absl::StatusOr<std::pair<size_t, SocketAddr>>> Receive(
      std::span<char> buf, int flags, const char* operation);
  std::optional<absl::StatusOr<std::pair<size_t, SocketAddr>>> TryReceive(
      std::span<char> buf, int flags, const char* operation);
  absl::Status SetOption(int level, int name, int value, const char* what);
  absl::Status Multicast(int level, int name, const void* request,
                         socklen_t len, const char* what);
  // The address errors name: the peer if connected, else our own.
  const SocketAddr& Named() const { return peer_ ? *peer_ : local_; }

  AsyncFd io_;
  SocketAddr local_;
  std::optional<SocketAddr> peer_;
};

}  // namespace weft::net

#endif  // WEFT_NET_UDP_SOCKET_H_
