#include "net/stream_socket.h"

#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "net/io_ext.h"
#include "net/socket_addr.h"
#include "net/socket_error.h"
#include "net/unix_addr.h"

namespace weft::net {

template <class Addr>
absl::Status StreamSocket<Addr>::Error(const char* operation, int err) const {
  return SocketError(operation, peer_, err);
}

template <class Addr>
absl::StatusOr<size_t> StreamSocket<Addr>::ReadDone(std::span<char> buf,
                                                    ssize_t n) {
  if (n < 0) return Error("read", static_cast<int>(-n));
  // A short read drained the socket: the next read would only get EAGAIN,
  // so skip that syscall. New data is a new epoll edge.
  if (n > 0 && static_cast<size_t>(n) < buf.size()) io_.ClearReadable();
  return static_cast<size_t>(n);
}

template <class Addr>
absl::StatusOr<size_t> StreamSocket<Addr>::WriteDone(std::span<const char> buf,
                                                     ssize_t n) {
  if (n < 0) return Error("write", static_cast<int>(-n));
  // A short write filled the send buffer: the next would get EAGAIN.
  if (static_cast<size_t>(n) < buf.size()) io_.ClearWritable();
  return static_cast<size_t>(n);
}

template <class Addr>
std::optional<absl::StatusOr<size_t>> StreamSocket<Addr>::TryRead(
    std::span<char> buf) {
  const std::optional<ssize_t> n =
      io_.TryIo(AsyncFd::Interest::kReadable, [&] { return io_.Recv(buf); });
  if (!n) return std::nullopt;
  return ReadDone(buf, *n);
}

template <class Addr>
std::optional<absl::StatusOr<size_t>> StreamSocket<Addr>::TryWrite(
    std::span<const char> buf) {
  const std::optional<ssize_t> n =
      io_.TryIo(AsyncFd::Interest::kWritable, [&] { return io_.Send(buf); });
  if (!n) return std::nullopt;
  return WriteDone(buf, *n);
}

template <class Addr>
Task<absl::StatusOr<size_t>> StreamSocket<Addr>::Read(std::span<char> buf) {
  return io_.template AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kReadable, [this, buf] { return io_.Recv(buf); },
      [this, buf](ssize_t n) { return ReadDone(buf, n); });
}

template <class Addr>
Task<absl::StatusOr<size_t>> StreamSocket<Addr>::Write(
    std::span<const char> buf) {
  return io_.template AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kWritable, [this, buf] { return io_.Send(buf); },
      [this, buf](ssize_t n) { return WriteDone(buf, n); });
}

template <class Addr>
Task<absl::StatusOr<size_t>> StreamSocket<Addr>::Peek(std::span<char> buf) {
  return io_.template AsyncIo<absl::StatusOr<size_t>>(
      AsyncFd::Interest::kReadable,
      [this, buf] { return io_.RecvFrom(buf, MSG_PEEK, nullptr, nullptr); },
      [this](ssize_t n) -> absl::StatusOr<size_t> {
        if (n < 0) return Error("peek", static_cast<int>(-n));
        return static_cast<size_t>(n);
      });
}

template <class Addr>
Task<absl::Status> StreamSocket<Addr>::ReadExact(std::span<char> buf) {
  return io::ReadExact(*this, buf);
}

template <class Addr>
Task<absl::StatusOr<size_t>> StreamSocket<Addr>::ReadToEnd(std::string& out) {
  return io::ReadToEnd(*this, out);
}

template <class Addr>
Task<absl::Status> StreamSocket<Addr>::WriteAll(std::span<const char> buf) {
  return io::WriteAll(*this, buf);
}

template <class Addr>
absl::Status StreamSocket<Addr>::Shutdown() {
  if (shutdown(io_.fd(), SHUT_WR) != 0) return Error("shutdown", errno);
  return absl::OkStatus();
}

template class StreamSocket<SocketAddr>;
template class StreamSocket<UnixAddr>;

}  // namespace weft::net
