// BufReader: reads a stream in large chunks and hands them out in small
// ones (tokio's io::BufReader, with AsyncBufRead's methods on it).
//
//   io::BufReader reader(std::move(read_half));
//   std::string line;
//   while (*co_await reader.ReadLine(line) > 0) {
//     Handle(line);
//     line.clear();
//   }
//
//   io::Lines lines(io::BufReader(std::move(read_half)));
//   while (std::optional<std::string> l = *co_await lines.NextLine()) {
//     Handle(*l);
//   }
//
// When to use it: a protocol read a line or a header at a time, where each
// small Read on the bare stream would be a syscall. A read that the buffer
// can satisfy makes none; a read at least as large as the buffer, with
// the buffer empty, goes straight to the stream (no copy).
//
//   FillBuf()        what is buffered, reading once if nothing is; empty
//                    at EOF. Consume(n) then takes n of it.
//   ReadUntil(d, s)  appends to `s` up to and including the delimiter `d`
//                    (or up to EOF); the count appended, 0 at EOF. No
//                    bound on the length: for input from a peer, use a
//                    LinesCodec (lines_codec.h), which has one.
//   ReadLine(s)      ReadUntil('\n', s).
//
// Cancel-safety: bytes are taken from the stream into the buffer, and from
// the buffer into the caller's string, only as a read completes; a ReadUntil
// lost in a Select keeps what it appended to the caller's string (as
// tokio's read_until), and loses nothing.
//
// BufReader is itself a stream (AsyncRead; AsyncWrite and PeerAddr too if
// the inner stream has them), so the io:: helpers and codecs take it.
#ifndef WEFT_NET_BUF_READER_H_
#define WEFT_NET_BUF_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/async_io.h"
#include "net/byte_buffer.h"
#include "runtime/task/task.h"

namespace weft::io {

inline constexpr size_t kDefaultBufferSize = 8 * 1024;

template <AsyncRead R>
class BufReader {
 public:
  explicit BufReader(R inner, size_t capacity = kDefaultBufferSize)
      : inner_(std::move(inner)), capacity_(std::max<size_t>(capacity, 1)) {}
  BufReader(BufReader&&) = default;
  BufReader& operator=(BufReader&&) = default;

  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    if (buffer_.empty() && buf.size() >= capacity_) {
      absl::StatusOr<size_t> n = co_await inner_.Read(buf);  // no copy
      co_return n;
    }
    absl::StatusOr<std::span<const char>> got = co_await FillBuf();
    if (!got.ok()) co_return got.status();
    const size_t n = std::min(got->size(), buf.size());
    if (n > 0) std::memcpy(buf.data(), got->data(), n);
    Consume(n);
    co_return n;
  }

  Task<absl::StatusOr<std::span<const char>>> FillBuf() {
    if (buffer_.empty()) {
      std::span<char> room = buffer_.WritableTail(capacity_).first(capacity_);
      absl::StatusOr<size_t> n = co_await inner_.Read(room);
      if (!n.ok()) co_return n.status();
      buffer_.Commit(*n);
    }
    co_return buffer_.Readable();
  }
  void Consume(size_t n) { buffer_.Consume(std::min(n, buffer_.size())); }
  // What is buffered now, without reading.
  std::span<const char> Buffer() const { return buffer_.Readable(); }

  Task<absl::StatusOr<size_t>> ReadUntil(char delim, std::string& out) {
    size_t total = 0;
    for (;;) {
      absl::StatusOr<std::span<const char>> got = co_await FillBuf();
      if (!got.ok()) co_return got.status();
      if (got->empty()) co_return total;  // EOF
      const void* found = std::memchr(got->data(), delim, got->size());
      const size_t take =
          found == nullptr
              ? got->size()
              : static_cast<size_t>(static_cast<const char*>(found) -
                                    got->data()) +
                    1;
      out.append(got->data(), take);
      Consume(take);
      total += take;
      if (found != nullptr) co_return total;
    }
  }
  Task<absl::StatusOr<size_t>> ReadLine(std::string& out) {
    return ReadUntil('\n', out);
  }

  // The inner stream's other sides, when it has them.
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) requires
      AsyncWrite<R> {
    return inner_.Write(buf);
  }
  decltype(auto) PeerAddr() const requires requires(const R& r) {
    r.PeerAddr();
  }
  { return inner_.PeerAddr(); }

  R& inner() { return inner_; }
  const R& inner() const { return inner_; }
  // The stream back; what was buffered and not read is lost.
  R IntoInner() && { return std::move(inner_); }

 private:
  R inner_;
  size_t capacity_;
  ByteBuffer buffer_;
};

// Lines of a BufReader, without their "\n" or "\r\n" (tokio's Lines).
// Cancel-safe: a line read in part stays here for the next NextLine.
template <AsyncRead R>
class Lines {
 public:
  explicit Lines(BufReader<R> reader) : reader_(std::move(reader)) {}

  // The next line; nullopt at EOF. A last line without "\n" still counts.
  Task<absl::StatusOr<std::optional<std::string>>> NextLine() {
    std::string line;
    absl::StatusOr<bool> got = co_await NextLine(line);
    if (!got.ok()) co_return got.status();
    if (!*got) co_return std::nullopt;
    co_return std::optional<std::string>(std::move(line));
  }
  // The next line into `line`, replacing what it held and reusing its
  // storage; false at EOF.
  Task<absl::StatusOr<bool>> NextLine(std::string& line) {
    absl::StatusOr<size_t> n = co_await reader_.ReadLine(partial_);
    if (!n.ok()) co_return n.status();
    if (partial_.empty()) co_return false;
    if (partial_.back() == '\n') partial_.pop_back();
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    line.swap(partial_);
    partial_.clear();
    co_return true;
  }

  BufReader<R>& reader() { return reader_; }

 private:
  BufReader<R> reader_;
  std::string partial_;  // read so far of the line being read
};

}  // namespace weft::io

#endif  // WEFT_NET_BUF_READER_H_
