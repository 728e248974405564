// BufWriter: gathers small writes and hands them to the stream in large
// ones (tokio's io::BufWriter).
//
//   io::BufWriter writer(std::move(write_half));
//   for (const Row& row : rows) {
//     CO_RETURN_IF_ERROR(co_await io::WriteAll(writer, Format(row)));
//   }
//   CO_RETURN_IF_ERROR(co_await writer.Flush());   // before it goes
//
// A write that fits in the buffer only copies. One that does not first
// flushes what is buffered; one at least as large as the buffer then goes
// straight to the stream. Flush() writes out everything buffered, taking
// bytes out of the buffer only as the stream accepts them, so a failed or
// cancelled flush leaves the rest buffered, in order.
//
// As in tokio, destroying a BufWriter does not flush it (a flush can wait,
// and a destructor cannot): what was written since the last Flush is lost.
// Flush before the end, or Shutdown, which flushes and then shuts the
// stream's writing down.
//
// BufWriter is itself a stream (AsyncWrite; AsyncRead and PeerAddr too if
// the inner stream has them).
#ifndef WEFT_NET_BUF_WRITER_H_
#define WEFT_NET_BUF_WRITER_H_

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/async_io.h"
#include "net/buf_reader.h"
#include "net/byte_buffer.h"
#include "runtime/task/task.h"

namespace weft::io {

template <AsyncWrite W>
class BufWriter {
 public:
  explicit BufWriter(W inner, size_t capacity = kDefaultBufferSize)
      : inner_(std::move(inner)), capacity_(std::max<size_t>(capacity, 1)) {}
  BufWriter(BufWriter&&) = default;
  BufWriter& operator=(BufWriter&&) = default;

  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    if (buffer_.size() + buf.size() > capacity_) {
      absl::Status flushed = co_await Flush();
      if (!flushed.ok()) co_return flushed;
    }
    if (buf.size() >= capacity_) {
      absl::StatusOr<size_t> n = co_await inner_.Write(buf);  // no copy
      co_return n;
    }
    buffer_.Append(buf);
    co_return buf.size();
  }

  Task<absl::Status> Flush() {
    while (!buffer_.empty()) {
      absl::StatusOr<size_t> n = co_await inner_.Write(buffer_.Readable());
      if (!n.ok()) co_return n.status();
      buffer_.Consume(*n);
    }
    co_return absl::OkStatus();
  }

  // Flushes, then shuts down the stream's writing (the peer reads EOF).
  Task<absl::Status> Shutdown() requires requires(W& w) { w.Shutdown(); }
  {
    absl::Status flushed = co_await Flush();
    if (!flushed.ok()) co_return flushed;
    co_return inner_.Shutdown();
  }

  // What is buffered and not yet written.
  std::span<const char> Buffer() const { return buffer_.Readable(); }

  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) requires AsyncRead<W> {
    return inner_.Read(buf);
  }
  decltype(auto) PeerAddr() const requires requires(const W& w) {
    w.PeerAddr();
  }
  { return inner_.PeerAddr(); }

  W& inner() { return inner_; }
  const W& inner() const { return inner_; }

 private:
  W inner_;
  size_t capacity_;
  ByteBuffer buffer_;
};

}  // namespace weft::io

#endif  // WEFT_NET_BUF_WRITER_H_
