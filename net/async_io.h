// The byte-stream concepts io::Copy is written against.
//
// Anything with these coroutine members is a byte stream to weft::io: a
// TcpStream, its halves, or a test double.
//   AsyncRead:  Read(std::span<char>) -> Task<absl::StatusOr<size_t>>, 0 = EOF
//   AsyncWrite: Write(std::span<const char>) -> Task<absl::StatusOr<size_t>>
#ifndef WEFT_NET_ASYNC_IO_H_
#define WEFT_NET_ASYNC_IO_H_

#include <concepts>
#include <cstddef>
#include <span>

#include "absl/status/statusor.h"
#include "runtime/task.h"

namespace weft::io {

template <class R>
concept AsyncRead = requires(R& reader, std::span<char> buf) {
  { reader.Read(buf) } -> std::same_as<Task<absl::StatusOr<size_t>>>;
};

template <class W>
concept AsyncWrite = requires(W& writer, std::span<const char> buf) {
  { writer.Write(buf) } -> std::same_as<Task<absl::StatusOr<size_t>>>;
};

}  // namespace weft::io

#endif  // WEFT_NET_ASYNC_IO_H_
