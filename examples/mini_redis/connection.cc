#include "examples/mini_redis/connection.h"

#include <optional>
#include <span>
#include <utility>

namespace weft::mini_redis {

absl::StatusOr<bool> Connection::NextCommand(
    std::vector<std::string_view>& args) {
  for (;;) {
    absl::StatusOr<size_t> used =
        ParseCommand(in_.View().substr(parsed_), limits_, args);
    if (!used.ok()) return used.status();
    if (*used == 0) return false;
    parsed_ += *used;
    if (!args.empty()) return true;
  }
}

Task<absl::StatusOr<bool>> Connection::Fill() {
  // The commands parsed so far have run: their bytes can go.
  in_.Consume(parsed_);
  parsed_ = 0;
  for (;;) {
    std::span<char> room = in_.WritableTail(kReadChunk);
    std::optional<absl::StatusOr<size_t>> n = stream_.TryRead(room);
    if (!n) {
      co_await stream_.Readable();
      continue;
    }
    if (!n->ok()) co_return n->status();
    in_.Commit(**n);
    co_return **n > 0;
  }
}

Task<absl::Status> Connection::Flush() {
  for (;;) {
    if (writing_.empty()) {
      if (out_.empty()) co_return absl::OkStatus();
      std::swap(out_, writing_);
    }
    std::optional<absl::StatusOr<size_t>> n =
        stream_.TryWrite(writing_.Readable());
    if (!n) {
      co_await stream_.Writable();
      continue;
    }
    if (!n->ok()) co_return n->status();
    writing_.Consume(**n);
  }
}

}  // namespace weft::mini_redis
