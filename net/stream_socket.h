// StreamSocket<Addr>: what every connected stream socket does the same way
// (TcpStream over IP, UnixStream over a path), written once: read, write,
// peek, their readiness-first pair, shut down; errors name the peer.
//
// Every operation tries its syscall first and parks only on EAGAIN
// (runtime/io/async_fd.h). Errors are absl::Status values naming the
// operation and the peer ("read 127.0.0.1:5000: Connection reset by
// peer"); EOF is a zero-length read, not an error. Nothing here can raise
// SIGPIPE: writes use send(MSG_NOSIGNAL). One task may read while another
// writes; two tasks reading (or writing) at once is not supported.
#ifndef WEFT_NET_STREAM_SOCKET_H_
#define WEFT_NET_STREAM_SOCKET_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

template <class Addr>
class StreamSocket {
 public:
  StreamSocket(StreamSocket&&) = default;
  StreamSocket& operator=(StreamSocket&&) = default;

  // Reads what is available into `buf` (at most buf.size()); 0 at EOF.
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf);
  // The readiness-first pair (tokio's readable()/try_read()): wait until
  // the socket may be readable, then try once. TryRead returns nullopt when
  // the kernel has nothing after all (readiness is then cleared; await
  // Readable() again). Neither allocates: io::Copy uses them to wait for
  // data without holding a buffer.
  AsyncFd::ReadinessAwaiter Readable() { return io_.Readable(); }
  std::optional<absl::StatusOr<size_t>> TryRead(std::span<char> buf);
  AsyncFd::ReadinessAwaiter Writable() { return io_.Writable(); }
  std::optional<absl::StatusOr<size_t>> TryWrite(std::span<const char> buf);
  // Copies what is available into `buf` without taking it: the next read
  // gets the same bytes. Waits for some; 0 at EOF.
  Task<absl::StatusOr<size_t>> Peek(std::span<char> buf);
  // Fills `buf` completely; OutOfRange if EOF comes first.
  Task<absl::Status> ReadExact(std::span<char> buf);
  // Appends everything up to EOF to `out` as it arrives, so bytes read
  // before an error or a cancellation are kept. Returns the count appended.
  Task<absl::StatusOr<size_t>> ReadToEnd(std::string& out);

  // Writes some of `buf` (at least one byte unless buf is empty).
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf);
  // Writes all of `buf`, however many partial writes it takes.
  Task<absl::Status> WriteAll(std::span<const char> buf);

  // Shuts down the write direction: the peer reads EOF; reading goes on.
  absl::Status Shutdown();

  const Addr& PeerAddr() const { return peer_; }
  int NativeHandle() const { return io_.fd(); }
  // Deregisters from the reactor and hands the socket over, still in
  // non-blocking mode (tokio's into_std); the caller closes it.
  int IntoFd() && { return std::move(io_).Release(); }

 protected:
  StreamSocket(AsyncFd io, Addr peer)
      : io_(std::move(io)), peer_(std::move(peer)) {}
  ~StreamSocket() = default;

  // "<operation> <peer>: <strerror>", with the errno's status code.
  absl::Status Error(const char* operation, int err) const;

  AsyncFd io_;
  Addr peer_;  // cached: errors name it even after the peer is gone

 private:
  // What a read or write of `buf` that gave `n` (AsyncFd::TryIo) returns.
  absl::StatusOr<size_t> ReadDone(std::span<char> buf, ssize_t n);
  absl::StatusOr<size_t> WriteDone(std::span<const char> buf, ssize_t n);
};

}  // namespace weft::net

#endif  // WEFT_NET_STREAM_SOCKET_H_
