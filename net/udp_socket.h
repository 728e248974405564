// UdpSocket: datagrams on the reactor (tokio's net::UdpSocket).
//
//   CO_ASSIGN_OR_RETURN(UdpSocket socket,
//                       co_await UdpSocket::Bind("0.0.0.0:5353"));
//   char buf[65536];
//   CO_ASSIGN_OR_RETURN(auto got, co_await socket.RecvFrom(buf));
//   auto [n, from] = got;
//   CO_RETURN_IF_ERROR(
//       (co_await socket.SendTo(std::span(buf, n), from)).status());
//
// Unconnected, a socket sends to any address (SendTo) and receives from
// any (RecvFrom). Connect(addr) fixes a peer: Send and Recv then talk to it
// alone, and the kernel drops datagrams from anyone else.
//
// Sending and receiving are DatagramSocket's (datagram_socket.h), which
// UnixDatagram shares: a datagram longer than the buffer is an OutOfRange
// error, never cut silently; errors name the operation and an address. A
// 64 KiB buffer holds any UDP datagram.
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
#include "net/datagram_socket.h"
#include "net/socket_addr.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

class UdpSocket : public DatagramSocket<SocketAddr> {
 public:
  // Binds to `addr` (port 0: any free port; LocalAddr() says which).
  static Task<absl::StatusOr<UdpSocket>> Bind(SocketAddr addr);
  // "ip:port", or "host:port" resolved with LookupHost.
  static Task<absl::StatusOr<UdpSocket>> Bind(std::string addr);

  UdpSocket(UdpSocket&&) = default;
  UdpSocket& operator=(UdpSocket&&) = default;

  // Connect, Send, Recv, Peek, SendTo, RecvFrom, PeekFrom, the readiness-
  // first pair, LocalAddr, PeerAddr: DatagramSocket (datagram_socket.h).

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

 private:
  UdpSocket(AsyncFd io, SocketAddr local)
      : DatagramSocket(std::move(io), std::move(local)) {}

  absl::Status SetOption(int level, int name, int value, const char* what);
  absl::Status SetOption(int level, int name, const void* value, socklen_t len,
                         const char* what);
  // Joins or leaves (`name`) a group.
  absl::Status MembershipV4(int name, std::string_view group,
                            std::string_view interface, const char* what);
  absl::Status MembershipV6(int name, std::string_view group,
                            unsigned interface, const char* what);
};

}  // namespace weft::net

#endif  // WEFT_NET_UDP_SOCKET_H_
