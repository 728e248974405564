#include "net/copy.h"

namespace weft::io {
namespace {

// One direction: copy, then tell the destination's peer we are done.
Task<absl::StatusOr<uint64_t>> OneWay(net::OwnedReadHalf from,
                                      net::OwnedWriteHalf to) {
  absl::StatusOr<uint64_t> copied = co_await Copy(from, to);
  // Dropping `to` (the owned write half) shuts down its writing.
  co_return copied;
}

// Aborts the tasks if CopyBidirectional is cancelled before they finish.
struct AbortOnDrop {
  JoinHandle<absl::StatusOr<uint64_t>>& first;
  JoinHandle<absl::StatusOr<uint64_t>>& second;
  ~AbortOnDrop() {
    first.Abort();
    second.Abort();
  }
};

absl::StatusOr<uint64_t> Joined(JoinResult<absl::StatusOr<uint64_t>> r) {
  if (!r.ok()) return absl::CancelledError(r.error().ToString());
  return *std::move(r);
}

}  // namespace

Task<absl::StatusOr<CopiedBothWays>> CopyBidirectional(net::TcpStream a,
                                                       net::TcpStream b) {
  auto [a_read, a_write] = std::move(a).IntoSplit();
  auto [b_read, b_write] = std::move(b).IntoSplit();
  JoinHandle<absl::StatusOr<uint64_t>> forward =
      Spawn(OneWay, std::move(a_read), std::move(b_write));
  JoinHandle<absl::StatusOr<uint64_t>> backward =
      Spawn(OneWay, std::move(b_read), std::move(a_write));
  AbortOnDrop guard{forward, backward};
  absl::StatusOr<uint64_t> a_to_b = Joined(co_await forward);
  absl::StatusOr<uint64_t> b_to_a = Joined(co_await backward);
  if (!a_to_b.ok()) co_return a_to_b.status();
  if (!b_to_a.ok()) co_return b_to_a.status();
  co_return CopiedBothWays{*a_to_b, *b_to_a};
}

}  // namespace weft::io
