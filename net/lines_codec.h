// LinesCodec: frames are lines ending in "\n" (tokio-util's LinesCodec).
//
//   io::FramedRead lines(std::move(read_half), io::LinesCodec(4096));
//
// A decoded line has its "\n", and a "\r" before it, removed; encoding
// appends "\n". At EOF, bytes after the last "\n" are one last line.
//
// Bounded: a line longer than `max_length` bytes (not counting "\n" or
// "\r\n") is an error, ResourceExhausted "line longer than N bytes",
// reported as soon as max_length + 2 bytes came without a "\n"; the reader
// never holds more of it than that and one read's worth. After that error
// the codec skips the rest of the long line, so the caller may go on
// reading the lines after it (tokio does the same). Unlike tokio's
// LinesCodec::new(), the default is bounded too (kDefaultMaxLength): a
// peer decides how long a line is. Lines are bytes: no UTF-8 check.
#ifndef WEFT_NET_LINES_CODEC_H_
#define WEFT_NET_LINES_CODEC_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/byte_buffer.h"

namespace weft::io {

class LinesCodec {
 public:
  using Item = std::string;
  static constexpr size_t kDefaultMaxLength = 64 * 1024;

  LinesCodec() : LinesCodec(kDefaultMaxLength) {}
  explicit LinesCodec(size_t max_length)
      : max_length_(max_length),
        search_limit_(max_length > SIZE_MAX - 2 ? SIZE_MAX : max_length + 2) {}

  size_t max_length() const { return max_length_; }

  // Inline: the common case, a whole line in the buffer and nothing being
  // skipped, is a memchr and a copy; everything else is DecodeSlow.
  [[gnu::always_inline]] absl::StatusOr<bool> Decode(ByteBuffer& src,
                                                     std::string& line) {
    if (!discarding_) {
      const char* data = src.data();
      const size_t limit = std::min(src.size(), search_limit_);
      if (searched_ < limit) {
        const void* found =
            std::memchr(data + searched_, '\n', limit - searched_);
        if (found != nullptr) {
          const size_t end =
              static_cast<size_t>(static_cast<const char*>(found) - data) + 1;
          size_t length = end - 1;
          if (length > 0 && data[length - 1] == '\r') --length;
          if (length <= max_length_) {
            // clear + append, not assign: libstdc++'s assign goes through
            // _M_replace, which checks for aliasing (about 80 instructions
            // a line; this is a capacity check and a copy).
            line.clear();
            line.append(data, length);
            src.Consume(end);
            searched_ = 0;
            return true;
          }
        }
      }
    }
    return DecodeSlow(src, line);
  }
  absl::StatusOr<bool> DecodeEof(ByteBuffer& src, std::string& line);
  absl::Status Encode(std::string_view line, ByteBuffer& dst);

 private:
  absl::StatusOr<bool> DecodeSlow(ByteBuffer& src, std::string& line);

  size_t max_length_;
  // How far a "\n" may be: max_length_ bytes and a "\r" before it.
  size_t search_limit_;
  // How far the front of the buffer was searched for "\n" already: the
  // next Decode starts there, so a long line is scanned once, not once per
  // read.
  size_t searched_ = 0;
  // Skipping the rest of a line that was too long.
  bool discarding_ = false;
};

}  // namespace weft::io

#endif  // WEFT_NET_LINES_CODEC_H_
