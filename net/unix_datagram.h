// UnixDatagram: datagrams between sockets on paths or abstract names
// (tokio's net::UnixDatagram). Sending and receiving are DatagramSocket's
// (datagram_socket.h), as UdpSocket's are: whole datagrams, truncation an
// error, errors naming an address.
//
//   auto [a, b] = *UnixDatagram::Pair();
//   CO_RETURN_IF_ERROR(
//       (co_await a.Send(std::string_view("ping"))).status());  // b gets it
//
//   CO_ASSIGN_OR_RETURN(UnixDatagram server,
//                       UnixDatagram::Bind("/run/app.dgram"));
//   char buf[4096];
//   auto [n, from] = *co_await server.RecvFrom(buf);  // reply to `from`
//
// A client that wants replies binds too (an unbound one has no address to
// answer). As with UnixListener, nothing removes the socket file.
#ifndef WEFT_NET_UNIX_DATAGRAM_H_
#define WEFT_NET_UNIX_DATAGRAM_H_

#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "net/datagram_socket.h"
#include "net/unix_addr.h"
#include "runtime/io/async_fd.h"

namespace weft::net {

class UnixDatagram : public DatagramSocket<UnixAddr> {
 public:
  static absl::StatusOr<UnixDatagram> Bind(UnixAddr addr);
  static absl::StatusOr<UnixDatagram> Bind(std::string_view path);
  // Not bound: can send (SendTo, or Send once connected), not be answered.
  static absl::StatusOr<UnixDatagram> Unbound();
  // Two connected, unnamed ends (socketpair(2)).
  static absl::StatusOr<std::pair<UnixDatagram, UnixDatagram>> Pair();

  UnixDatagram(UnixDatagram&&) = default;
  UnixDatagram& operator=(UnixDatagram&&) = default;

 private:
  UnixDatagram(AsyncFd io, UnixAddr local)
      : DatagramSocket(std::move(io), std::move(local)) {}
};

}  // namespace weft::net

#endif  // WEFT_NET_UNIX_DATAGRAM_H_
