// Duplex: two in-memory streams joined back to back (tokio's io::duplex).
//
//   auto [client, server] = weft::io::Duplex(64 * 1024);
//   CO_RETURN_IF_ERROR(co_await io::WriteAll(client, "ping\n"));
//   // the server end reads "ping\n"
//
// What one end writes the other reads, in order, as from a socket pair,
// with no kernel in between: the stream for testing protocol code (a
// codec, a BufReader, a server's per-connection function) without a port.
// Each direction holds at most `max_buffer` bytes; a write beyond that
// waits until the reader takes some, so a fast writer meets backpressure
// as it would on a socket.
//
// Ends: Shutdown() stops this end's writing, and the other end reads EOF
// once it has read everything before it. Destroying an end does that and
// more: the other end's writes fail ("write duplex stream: the reading end
// is gone", FailedPrecondition, as EPIPE on a socket) and its reads, after
// what was written, see EOF.
//
// Threads: the two ends may live on different runtimes or threads; each
// direction is guarded by a lock. As with a TcpStream, one task may read
// while another writes, but two reads (or two writes) of one end at once
// are not supported.
#ifndef WEFT_NET_DUPLEX_H_
#define WEFT_NET_DUPLEX_H_

#include <cstddef>
#include <memory>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/task/task.h"

namespace weft::io {

namespace duplex_internal {
class Pipe;
}  // namespace duplex_internal

class DuplexStream {
 public:
  DuplexStream(DuplexStream&&) noexcept = default;
  DuplexStream& operator=(DuplexStream&& other) noexcept;
  ~DuplexStream();

  // What is buffered, up to buf.size(), waiting for some if none; 0 at EOF.
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf);
  // As much of `buf` as fits, waiting for room if none; at least one byte
  // unless `buf` is empty.
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf);
  // The other end reads EOF after what was written; reading goes on.
  absl::Status Shutdown();

 private:
  friend std::pair<DuplexStream, DuplexStream> Duplex(size_t max_buffer);
  DuplexStream(std::shared_ptr<duplex_internal::Pipe> read,
               std::shared_ptr<duplex_internal::Pipe> write)
      : read_(std::move(read)), write_(std::move(write)) {}
  void Close();

  std::shared_ptr<duplex_internal::Pipe> read_;   // the other end writes it
  std::shared_ptr<duplex_internal::Pipe> write_;  // the other end reads it
};

// Two connected ends; each direction buffers at most `max_buffer` bytes
// (at least 1).
std::pair<DuplexStream, DuplexStream> Duplex(size_t max_buffer);

}  // namespace weft::io

#endif  // WEFT_NET_DUPLEX_H_
