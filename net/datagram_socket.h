// DatagramSocket<Addr>: what every datagram socket does the same way
// (UdpSocket over IP, UnixDatagram over a path), written once: send and
// receive whole datagrams, to and from anyone or, once connected, one peer.
//
// Truncation is never silent: a datagram longer than the buffer is an
// OutOfRange error ("recv_from 0.0.0.0:5353: a datagram of 2000 bytes from
// 10.0.0.7:9000 does not fit 1500") with its first buf.size() bytes in the
// buffer; it is consumed (Peek and PeekFrom leave it for the next receive).
//
// Errors name the operation and an address (the destination for a send,
// the peer once connected, else the socket's own). One task may receive
// while another sends.
#ifndef WEFT_NET_DATAGRAM_SOCKET_H_
#define WEFT_NET_DATAGRAM_SOCKET_H_

#include <sys/socket.h>

#include <cstddef>
#include <optional>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

template <class Addr>
class DatagramSocket {
 public:
  DatagramSocket(DatagramSocket&&) = default;
  DatagramSocket& operator=(DatagramSocket&&) = default;

  // Fixes the peer: Send/Recv go to and come from it alone, and the kernel
  // drops datagrams from anyone else.
  absl::Status Connect(const Addr& addr);

  // Connected only (else FailedPrecondition).
  Task<absl::StatusOr<size_t>> Send(std::span<const char> datagram);
  Task<absl::StatusOr<size_t>> Recv(std::span<char> buf);
  Task<absl::StatusOr<size_t>> Peek(std::span<char> buf);

  Task<absl::StatusOr<size_t>> SendTo(std::span<const char> datagram, Addr to);
  Task<absl::StatusOr<std::pair<size_t, Addr>>> RecvFrom(std::span<char> buf);
  Task<absl::StatusOr<std::pair<size_t, Addr>>> PeekFrom(std::span<char> buf);

  // The readiness-first pair, for loops that must not allocate: wait, then
  // try once; nullopt means "not ready after all" (await again).
  AsyncFd::ReadinessAwaiter Readable() { return io_.Readable(); }
  AsyncFd::ReadinessAwaiter Writable() { return io_.Writable(); }
  std::optional<absl::StatusOr<std::pair<size_t, Addr>>> TryRecvFrom(
      std::span<char> buf);
  std::optional<absl::StatusOr<size_t>> TrySendTo(
      std::span<const char> datagram, const Addr& to);

  const Addr& LocalAddr() const { return local_; }
  // The connected peer; FailedPrecondition if not connected.
  absl::StatusOr<Addr> PeerAddr() const;
  int NativeHandle() const { return io_.fd(); }

 protected:
  DatagramSocket(AsyncFd io, Addr local)
      : io_(std::move(io)), local_(std::move(local)) {}
  ~DatagramSocket() = default;

  // The address errors name: the peer if connected, else our own.
  const Addr& Named() const { return peer_ ? *peer_ : local_; }

  AsyncFd io_;
  Addr local_;
  std::optional<Addr> peer_;

 private:
  // One receive with `flags`, waiting as needed.
  Task<absl::StatusOr<std::pair<size_t, Addr>>> Receive(std::span<char> buf,
                                                        int flags,
                                                        const char* operation);
  std::optional<absl::StatusOr<std::pair<size_t, Addr>>> TryReceive(
      std::span<char> buf, int flags, const char* operation);
  // One send to `to`, or to the connected peer when `to` is null; errors
  // name whichever it was.
  std::optional<absl::StatusOr<size_t>> TrySend(std::span<const char> datagram,
                                                const Addr* to,
                                                const char* operation);
};

}  // namespace weft::net

#endif  // WEFT_NET_DATAGRAM_SOCKET_H_
