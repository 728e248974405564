// ReadExact, ReadToEnd, WriteAll for any byte stream (tokio's AsyncReadExt
// and AsyncWriteExt): written once against the concepts in async_io.h, so
// a TcpStream, its halves, a UnixStream, a DuplexStream, a BufReader all
// get them.
//
//   CO_RETURN_IF_ERROR(co_await io::WriteAll(stream, request));
//   char header[4];
//   CO_RETURN_IF_ERROR(co_await io::ReadExact(stream, header));
//
// Errors name the stream (StreamName: its peer's address, if it has one).
//
// Bytes are spans, which a std::string or std::string_view converts to. A
// string literal does too, but as its array, with the terminating NUL:
// write std::string_view("hello"), or "hello"sv.
#ifndef WEFT_NET_IO_EXT_H_
#define WEFT_NET_IO_EXT_H_

#include <cstddef>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "net/async_io.h"
#include "runtime/task/task.h"

namespace weft::io {

// How errors name `stream`: its peer's address if it has one (TCP, Unix),
// else "stream".
template <class S>
std::string StreamName(const S& stream) {
  if constexpr (requires { stream.PeerAddr().ToString(); }) {
    return stream.PeerAddr().ToString();
  } else {
    return "stream";
  }
}

// Fills `buf` completely; OutOfRange ("read_exact <name>: EOF after n of m
// bytes") if EOF comes first. Bytes read before an error stay in `buf`.
template <AsyncRead R>
Task<absl::Status> ReadExact(R& reader, std::span<char> buf) {
  size_t done = 0;
  while (done < buf.size()) {
    absl::StatusOr<size_t> n = co_await reader.Read(buf.subspan(done));
    if (!n.ok()) co_return n.status();
    if (*n == 0) {
      co_return absl::OutOfRangeError(
          absl::StrCat("read_exact ", StreamName(reader), ": EOF after ", done,
                       " of ", buf.size(), " bytes"));
    }
    done += *n;
  }
  co_return absl::OkStatus();
}

// Appends everything up to EOF to `out` as it arrives, so bytes read before
// an error or a cancellation are kept. Returns the count appended.
template <AsyncRead R>
Task<absl::StatusOr<size_t>> ReadToEnd(R& reader, std::string& out) {
  constexpr size_t kChunk = 16 * 1024;
  // `out` grows by a chunk before each read, so bytes land in place. This
  // guard trims it back to what was really read when the read finishes or,
  // if the task is cancelled mid-read, when the frame is destroyed: the
  // caller never sees a chunk of zeros (tcp_stream_test pins this).
  struct TrimOnExit {
    std::string& s;
    size_t keep;
    ~TrimOnExit() { s.resize(keep); }
  };
  size_t total = 0;
  for (;;) {
    const size_t old_size = out.size();
    TrimOnExit trim{out, old_size};
    out.resize(old_size + kChunk);
    absl::StatusOr<size_t> n =
        co_await reader.Read(std::span<char>(out.data() + old_size, kChunk));
    if (!n.ok()) co_return n.status();
    trim.keep = old_size + *n;
    if (*n == 0) co_return total;
    total += *n;
  }
}

// Writes all of `buf`, however many partial writes it takes.
template <AsyncWrite W>
Task<absl::Status> WriteAll(W& writer, std::span<const char> buf) {
  while (!buf.empty()) {
    absl::StatusOr<size_t> n = co_await writer.Write(buf);
    if (!n.ok()) co_return n.status();
    buf = buf.subspan(*n);
  }
  co_return absl::OkStatus();
}

}  // namespace weft::io

#endif  // WEFT_NET_IO_EXT_H_
