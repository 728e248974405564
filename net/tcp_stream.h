// TcpStream: a connected TCP socket on the reactor.
//
//   CO_ASSIGN_OR_RETURN(TcpStream s, co_await TcpStream::Connect(addr));
//   CO_RETURN_IF_ERROR(co_await s.WriteAll(request));
//   absl::StatusOr<size_t> n = co_await s.Read(buffer);   // 0 means EOF
//
// The reading and writing are StreamSocket's (stream_socket.h), which
// UnixStream shares: syscall first, park only on EAGAIN, errors naming the
// peer ("read 127.0.0.1:5000: Connection reset by peer"), EOF a zero-length
// read, no SIGPIPE. One task may read while another writes (Split,
// IntoSplit); two tasks reading (or writing) at once is not supported.
#ifndef WEFT_NET_TCP_STREAM_H_
#define WEFT_NET_TCP_STREAM_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "net/socket_error.h"
#include "net/stream_socket.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

class ReadHalf;
class WriteHalf;
class OwnedReadHalf;
class OwnedWriteHalf;

class TcpStream : public StreamSocket<SocketAddr> {
 public:
  // Connects to `addr`; "connect <addr>: <reason>" on failure.
  static Task<absl::StatusOr<TcpStream>> Connect(SocketAddr addr);
  // "ip:port", or "host:port" resolved with LookupHost; tries each address
  // in turn. Malformed text is InvalidArgument quoting it.
  static Task<absl::StatusOr<TcpStream>> Connect(std::string addr);
  // Takes a connected socket from blocking code (tokio's from_std): makes it
  // non-blocking and registers it with the current runtime.
  static absl::StatusOr<TcpStream> FromFd(int fd);

  TcpStream(TcpStream&&) = default;
  TcpStream& operator=(TcpStream&&) = default;

  // Read, Write, Peek, the readiness-first pairs, ReadExact, ReadToEnd,
  // WriteAll, Shutdown, PeerAddr: StreamSocket (stream_socket.h).

  absl::Status SetNoDelay(bool on);
  absl::StatusOr<SocketAddr> LocalAddr() const;

  // Borrowed halves: the stream must outlive them.
  std::pair<ReadHalf, WriteHalf> Split();
  // Owned halves sharing the socket; dropping the write half shuts down
  // writing. Reunite() puts them back together.
  std::pair<OwnedReadHalf, OwnedWriteHalf> IntoSplit() &&;

 private:
  friend class TcpListener;
  friend class TcpSocket;
  // Connects the socket in `io` (bound or not) to `addr`.
  static Task<absl::StatusOr<TcpStream>> ConnectOn(AsyncFd io, SocketAddr addr);
  TcpStream(AsyncFd io, SocketAddr peer)
      : StreamSocket(std::move(io), std::move(peer)) {}
};

}  // namespace weft::net

#endif  // WEFT_NET_TCP_STREAM_H_
