// io::Copy and io::CopyBidirectional: pump bytes between streams.
//
//   absl::StatusOr<uint64_t> n = co_await io::Copy(read_half, write_half);
//
// Copy reads until EOF and writes everything it read, however many partial
// writes that takes; it returns the byte count, or the first error. It does
// not shut the writer down at EOF (tokio's io::copy does not either). For
// readiness-first streams (TCP) it holds no buffer while waiting for data
// and allocates nothing per chunk (buffer_pool.h).
//
// CopyBidirectional(a, b) copies both ways at once, inside the awaiting
// task (Join); when one direction reaches EOF it shuts down the other
// side's writing, and it finishes when both have.
#ifndef WEFT_NET_COPY_H_
#define WEFT_NET_COPY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <utility>

#include "absl/status/statusor.h"
#include "net/async_io.h"
#include "net/buffer_pool.h"
#include "net/split.h"
#include "net/tcp_stream.h"
#include "runtime/task/join.h"
#include "runtime/task/task.h"

namespace weft::io {

inline constexpr size_t kCopyBufferSize = 8 * 1024;

template <AsyncRead R, AsyncWrite W>
Task<absl::StatusOr<uint64_t>> Copy(R& reader, W& writer) {
  uint64_t total = 0;
  if constexpr (AsyncTryRead<R> && AsyncTryWrite<W>) {
    // Readiness first: wait for data holding nothing, then borrow a pooled
    // buffer, move the bytes, give it back. No allocation per chunk, no
    // buffer held by an idle connection.
    for (;;) {
      co_await reader.Readable();
      PooledBuffer buffer = PooledBuffer::Borrow();
      std::optional<absl::StatusOr<size_t>> n = reader.TryRead(buffer.span());
      if (!n) continue;  // not readable after all: wait again
      if (!n->ok()) co_return n->status();
      if (**n == 0) co_return total;
      std::span<const char> pending(buffer.data(), **n);
      while (!pending.empty()) {
        std::optional<absl::StatusOr<size_t>> written =
            writer.TryWrite(pending);
        if (!written) {
          co_await writer.Writable();  // the peer is slow: hold the data
          continue;
        }
        if (!written->ok()) co_return written->status();
        pending = pending.subspan(**written);
      }
      total += **n;
    }
  } else {
    auto buffer = std::make_unique<char[]>(kCopyBufferSize);
    for (;;) {
      absl::StatusOr<size_t> n =
          co_await reader.Read(std::span<char>(buffer.get(), kCopyBufferSize));
      if (!n.ok()) co_return n.status();
      if (*n == 0) co_return total;
      std::span<const char> pending(buffer.get(), *n);
      while (!pending.empty()) {
        absl::StatusOr<size_t> written = co_await writer.Write(pending);
        if (!written.ok()) co_return written.status();
        pending = pending.subspan(*written);
      }
      total += *n;
    }
  }
}

// Bytes copied a -> b and b -> a.
struct CopiedBothWays {
  uint64_t a_to_b = 0;
  uint64_t b_to_a = 0;
};

namespace copy_internal {

// One direction: copy, then tell the destination's peer we are done.
template <class R, class W>
Task<absl::StatusOr<uint64_t>> CopyThenShutdown(R& from, W& to) {
  absl::StatusOr<uint64_t> copied = co_await Copy(from, to);
  if (copied.ok()) {
    absl::Status shut = to.Shutdown();
    if (!shut.ok()) co_return shut;
  }
  co_return copied;
}

}  // namespace copy_internal

// Any two streams that read, write and shut down (TcpStream, UnixStream,
// DuplexStream): both directions at once, inside the awaiting task (Join,
// as tokio's copy_bidirectional polls both in one future). The streams are
// borrowed, as tokio's are: they outlive the await, and a cancelled copy
// leaves them to their owner. Each direction
// shuts down its destination's writing at EOF; the first error ends both
// (TryJoin) and is returned.
template <class A, class B>
Task<absl::StatusOr<CopiedBothWays>> CopyBidirectional(A& a, B& b) {
  absl::StatusOr<std::tuple<uint64_t, uint64_t>> both =
      co_await TryJoin(copy_internal::CopyThenShutdown(a, b),
                       copy_internal::CopyThenShutdown(b, a));
  if (!both.ok()) co_return both.status();
  co_return CopiedBothWays{std::get<0>(*both), std::get<1>(*both)};
}

}  // namespace weft::io

#endif  // WEFT_NET_COPY_H_
