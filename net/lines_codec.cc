#include "net/lines_codec.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace weft::io {
namespace {

// The line in `bytes` (which ended at a "\n" or at EOF) without its end.
std::string_view Trim(std::string_view bytes) {
  if (!bytes.empty() && bytes.back() == '\n') bytes.remove_suffix(1);
  if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
  return bytes;
}

absl::Status TooLong(size_t max_length) {
  return absl::ResourceExhaustedError(
      absl::StrCat("line longer than ", max_length, " bytes"));
}

}  // namespace

absl::StatusOr<bool> LinesCodec::DecodeSlow(ByteBuffer& src,
                                            std::string& line) {
  for (;;) {
    const std::string_view bytes = src.View();
    if (discarding_) {
      // The rest of a line reported too long: drop it, up to its "\n".
      const void* end = std::memchr(bytes.data(), '\n', bytes.size());
      if (end == nullptr) {
        src.Consume(bytes.size());
        return false;
      }
      src.Consume(
          static_cast<size_t>(static_cast<const char*>(end) - bytes.data()) +
          1);
      discarding_ = false;
      continue;
    }
    // A line may hold max_length_ bytes and a "\r" before its "\n": look
    // no further than that for the "\n".
    const size_t limit = std::min(bytes.size(), search_limit_);
    const void* found =
        searched_ < limit
            ? std::memchr(bytes.data() + searched_, '\n', limit - searched_)
            : nullptr;
    if (found == nullptr) {
      if (bytes.size() < search_limit_) {
        searched_ = bytes.size();
        return false;  // wait for more
      }
      // Too long with no end in sight: report it once; the next Decode
      // drops the line as it comes, so it is never held whole.
      searched_ = 0;
      discarding_ = true;
      return TooLong(max_length_);
    }
    const size_t end =
        static_cast<size_t>(static_cast<const char*>(found) - bytes.data()) + 1;
    const std::string_view got = Trim(bytes.substr(0, end));
    searched_ = 0;
    if (got.size() > max_length_) {  // ended, but past the limit
      src.Consume(end);
      return TooLong(max_length_);
    }
    line.assign(got.data(), got.size());
    src.Consume(end);
    return true;
  }
}

absl::StatusOr<bool> LinesCodec::DecodeEof(ByteBuffer& src, std::string& line) {
  absl::StatusOr<bool> got = Decode(src, line);
  if (!got.ok() || *got || src.empty()) return got;
  // The last line, without a "\n".
  searched_ = 0;
  const std::string_view last = Trim(src.View());
  if (last.size() > max_length_) {
    src.Clear();
    return TooLong(max_length_);
  }
  line.assign(last);
  src.Clear();
  return true;
}

absl::Status LinesCodec::Encode(std::string_view line, ByteBuffer& dst) {
  dst.Reserve(dst.size() + line.size() + 1);
  dst.Append(line);
  dst.Append(std::string_view("\n"));
  return absl::OkStatus();
}

}  // namespace weft::io
