// The byte-stream concepts io::Copy is written against.
//
// Anything with these coroutine members is a byte stream to weft::io: a
// TcpStream, its halves, or a test double.
//   AsyncRead:  Read(std::span<char>) -> Task<absl::StatusOr<size_t>>, 0 = EOF
//   AsyncWrite: Write(std::span<const char>) -> Task<absl::StatusOr<size_t>>
// and, optionally, the readiness-first pair io::Copy prefers (below).
#ifndef WEFT_NET_ASYNC_IO_H_
#define WEFT_NET_ASYNC_IO_H_

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "runtime/task/task.h"

namespace weft::io {

template <class R>
concept AsyncRead = requires(R& reader, std::span<char> buf) {
  { reader.Read(buf) } -> std::same_as<Task<absl::StatusOr<size_t>>>;
};

template <class W>
concept AsyncWrite = requires(W& writer, std::span<const char> buf) {
  { writer.Write(buf) } -> std::same_as<Task<absl::StatusOr<size_t>>>;
};

// Readiness-first streams (TcpStream and its halves): wait, then try once
// without blocking; nullopt from a Try means "not ready after all".
// clang-format off
template <class R>
concept AsyncTryRead = requires(R& reader, std::span<char> buf) {
  reader.Readable();
  { reader.TryRead(buf) } -> std::same_as<std::optional<absl::StatusOr<size_t>>>;
};

template <class W>
concept AsyncTryWrite = requires(W& writer, std::span<const char> buf) {
  writer.Writable();
  { writer.TryWrite(buf) } -> std::same_as<std::optional<absl::StatusOr<size_t>>>;
};
// clang-format on

}  // namespace weft::io

#endif  // WEFT_NET_ASYNC_IO_H_
