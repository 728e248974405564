#include "examples/mini_redis/resp_codec.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "examples/mini_redis/resp_writer.h"

namespace weft::mini_redis {
namespace {

absl::Status ProtocolError(std::string_view why) {
  return absl::InvalidArgumentError(
      std::string("Protocol error: ").append(why));
}

// Reads one frame at a time from `bytes`, from `pos()` on. Parse says true
// (a frame, pos() after it), false (the frame is not all here yet), or the
// protocol error.
class Parser {
 public:
  Parser(std::string_view bytes, const RespCodec::Limits& limits)
      : bytes_(bytes), limits_(limits) {}

  size_t pos() const { return pos_; }

  // One command's words into `args` (views into bytes_): true, false if it
  // is not all here (pos() is then where it started), or the error. As
  // redis reads requests, every element of the array must be a bulk
  // string; an array of none ("*0", "*-1") is a command of no words.
  absl::StatusOr<bool> Command(std::vector<std::string_view>& args) {
    args.clear();
    if (pos_ >= bytes_.size()) return false;
    if (bytes_[pos_] != '*') return InlineWords(args);
    const size_t start = pos_;
    ++pos_;
    absl::StatusOr<std::optional<std::string_view>> line = Line();
    if (!line.ok()) return line.status();
    if (!*line) return Rewind(start);
    std::optional<int64_t> count = ParseInteger(**line);
    if (!count ||
        (*count > 0 && static_cast<uint64_t>(*count) > limits_.max_multibulk)) {
      return ProtocolError("invalid multibulk length");
    }
    for (int64_t i = 0; i < *count; ++i) {
      if (pos_ >= bytes_.size()) return Rewind(start);
      if (bytes_[pos_] != '$') {
        return ProtocolError(std::string("expected '$', got '") + bytes_[pos_] +
                             "'");
      }
      absl::StatusOr<std::optional<std::string_view>> bulk = BulkBytes();
      if (!bulk.ok()) return bulk.status();
      if (!*bulk) return Rewind(start);
      args.push_back(**bulk);  // the vector's storage is the caller's, reused
    }
    return true;
  }

  absl::StatusOr<bool> Parse(Frame& out, int depth) {
    for (;;) {
      if (pos_ >= bytes_.size()) return false;
      const char type = bytes_[pos_];
      switch (type) {
        case '+':
        case '-': {
          ++pos_;
          absl::StatusOr<std::optional<std::string_view>> line = Line();
          if (!line.ok()) return line.status();
          if (!*line) return false;
          out = type == '+' ? Frame::Simple(std::string(**line))
                            : Frame::Error(std::string(**line));
          return true;
        }
        case ':': {
          ++pos_;
          absl::StatusOr<std::optional<std::string_view>> line = Line();
          if (!line.ok()) return line.status();
          if (!*line) return false;
          std::optional<int64_t> value = ParseInteger(**line);
          if (!value) return ProtocolError("invalid integer");
          out = Frame::Integer(*value);
          return true;
        }
        case '$':
          return Bulk(out);
        case '*':
          return Array(out, depth);
        default:
          if (depth > 0) {
            return ProtocolError(std::string("expected '$', got '") + type +
                                 "'");
          }
          absl::StatusOr<bool> got = Inline(out);
          if (!got.ok() || !*got) return got;
          if (out.array.empty()) continue;  // an empty line: skipped
          return true;
      }
    }
  }

 private:
  // The bytes at pos_ up to the next '\n' (not included), moving past it;
  // nullopt if it has not come yet; once max_inline bytes have come without
  // one, the protocol error `too_big`.
  absl::StatusOr<std::optional<std::string_view>> RawLine(
      std::string_view too_big) {
    const std::string_view rest = bytes_.substr(pos_);
    const void* nl = std::memchr(rest.data(), '\n',
                                 std::min(rest.size(), limits_.max_inline));
    if (nl == nullptr) {
      if (rest.size() >= limits_.max_inline) return ProtocolError(too_big);
      return std::optional<std::string_view>();
    }
    const size_t end = static_cast<const char*>(nl) - rest.data();
    pos_ += end + 1;
    return std::optional<std::string_view>(rest.substr(0, end));
  }

  // A header's line at pos_ without its "\r\n", moving past it; nullopt if
  // its end has not come yet.
  absl::StatusOr<std::optional<std::string_view>> Line() {
    absl::StatusOr<std::optional<std::string_view>> line =
        RawLine("too big count string");
    if (!line.ok() || !*line) return line;
    if ((*line)->empty() || (*line)->back() != '\r') {
      return ProtocolError("expected CRLF");
    }
    return std::optional<std::string_view>(
        (*line)->substr(0, (*line)->size() - 1));
  }

  absl::StatusOr<bool> Rewind(size_t start) {
    pos_ = start;  // not all here: parsed again from the start later
    return false;
  }

  // A bulk string at pos_ ('$'), moving past it: its bytes; or nullopt,
  // either for a null bulk ("$-1", allowed only where `null` is given: set
  // true) or, with pos_ unchanged, for one not all here yet.
  absl::StatusOr<std::optional<std::string_view>> BulkBytes(
      bool* null = nullptr) {
    const size_t start = pos_;
    ++pos_;
    absl::StatusOr<std::optional<std::string_view>> line = Line();
    if (!line.ok()) return line.status();
    if (!*line) {
      pos_ = start;
      return std::optional<std::string_view>();
    }
    std::optional<int64_t> length = ParseInteger(**line);
    if (!length || *length < -1 ||
        (*length > 0 && static_cast<uint64_t>(*length) > limits_.max_bulk)) {
      return ProtocolError("invalid bulk length");
    }
    if (*length == -1) {
      if (null == nullptr) return ProtocolError("invalid bulk length");
      *null = true;
      return std::optional<std::string_view>();
    }
    const size_t n = static_cast<size_t>(*length);
    if (bytes_.size() - pos_ < n + 2) {
      pos_ = start;
      return std::optional<std::string_view>();
    }
    if (bytes_[pos_ + n] != '\r' || bytes_[pos_ + n + 1] != '\n') {
      return ProtocolError("expected CRLF after a bulk string");
    }
    const std::string_view bytes = bytes_.substr(pos_, n);
    pos_ += n + 2;
    return std::optional<std::string_view>(bytes);
  }

  absl::StatusOr<bool> Bulk(Frame& out) {
    bool null = false;
    absl::StatusOr<std::optional<std::string_view>> bytes = BulkBytes(&null);
    if (!bytes.ok()) return bytes.status();
    if (null) {
      out = Frame::Null();
      return true;
    }
    if (!*bytes) return false;
    out = Frame::Bulk(std::string(**bytes));
    return true;
  }

  absl::StatusOr<bool> Array(Frame& out, int depth) {
    ++pos_;
    absl::StatusOr<std::optional<std::string_view>> line = Line();
    if (!line.ok()) return line.status();
    if (!*line) return false;
    std::optional<int64_t> count = ParseInteger(**line);
    if (!count || *count < -1 ||
        (*count > 0 && static_cast<uint64_t>(*count) > limits_.max_multibulk)) {
      return ProtocolError("invalid multibulk length");
    }
    if (*count == -1) {
      out = Frame::Null();
      return true;
    }
    if (depth >= limits_.max_depth) return ProtocolError("nesting too deep");
    Frame array = Frame::Array({});
    for (int64_t i = 0; i < *count; ++i) {
      Frame element;
      absl::StatusOr<bool> got = Parse(element, depth + 1);
      if (!got.ok() || !*got) return got;
      array.array.push_back(std::move(element));  // grows with what came
    }
    out = std::move(array);
    return true;
  }

  // A line of words (an inline command) as an array of bulk strings.
  absl::StatusOr<bool> Inline(Frame& out) {
    std::vector<std::string_view> words;
    absl::StatusOr<bool> got = InlineWords(words);
    if (!got.ok() || !*got) return got;
    out = Frame::Array({});
    for (std::string_view word : words) {
      out.array.push_back(Frame::Bulk(std::string(word)));
    }
    return true;
  }

  // The words of the line at pos_, split at spaces and tabs, moving past
  // it: true (no words for an empty line), or false if its end has not
  // come yet.
  absl::StatusOr<bool> InlineWords(std::vector<std::string_view>& words) {
    absl::StatusOr<std::optional<std::string_view>> got =
        RawLine("too big inline request");
    if (!got.ok()) return got.status();
    if (!*got) return false;
    std::string_view line = **got;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t at = 0;
    while (at < line.size()) {
      while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
      size_t stop = at;
      while (stop < line.size() && line[stop] != ' ' && line[stop] != '\t') {
        ++stop;
      }
      if (stop > at) words.push_back(line.substr(at, stop - at));
      at = stop;
    }
    return true;
  }

  std::string_view bytes_;
  const RespCodec::Limits& limits_;
  size_t pos_ = 0;
};

absl::Status EncodeInto(const Frame& frame, io::ByteBuffer& dst) {
  switch (frame.kind) {
    case Frame::Kind::kSimple:
    case Frame::Kind::kError:
      if (frame.text.find_first_of("\r\n") != std::string::npos) {
        return absl::InvalidArgumentError(
            "a simple string or error cannot hold \\r or \\n");
      }
      if (frame.kind == Frame::Kind::kSimple) {
        AppendSimple(dst, frame.text);
      } else {
        AppendError(dst, frame.text);
      }
      return absl::OkStatus();
    case Frame::Kind::kInteger:
      AppendInteger(dst, frame.integer);
      return absl::OkStatus();
    case Frame::Kind::kBulk:
      AppendBulk(dst, frame.text);
      return absl::OkStatus();
    case Frame::Kind::kNull:
      AppendNull(dst);
      return absl::OkStatus();
    case Frame::Kind::kArray:
      AppendArrayHeader(dst, frame.array.size());
      for (const Frame& item : frame.array) {
        absl::Status s = EncodeInto(item, dst);
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
  }
  return absl::InternalError("unknown frame kind");
}

}  // namespace

absl::StatusOr<bool> RespCodec::Decode(io::ByteBuffer& src, Frame& frame) {
  Parser parser(src.View(), limits_);
  absl::StatusOr<bool> got = parser.Parse(frame, 0);
  if (!got.ok()) return got.status();
  if (*got) src.Consume(parser.pos());
  return got;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

absl::StatusOr<size_t> ParseCommand(std::string_view bytes,
                                    const RespCodec::Limits& limits,
                                    std::vector<std::string_view>& args) {
  Parser parser(bytes, limits);
  absl::StatusOr<bool> got = parser.Command(args);
  if (!got.ok()) return got.status();
  return *got ? parser.pos() : 0;
}

absl::Status RespCodec::Encode(const Frame& frame, io::ByteBuffer& dst) {
  return EncodeInto(frame, dst);
}

std::ostream& operator<<(std::ostream& os, const Frame& frame) {
  switch (frame.kind) {
    case Frame::Kind::kSimple:
      return os << "+" << frame.text;
    case Frame::Kind::kError:
      return os << "-" << frame.text;
    case Frame::Kind::kInteger:
      return os << ":" << frame.integer;
    case Frame::Kind::kBulk:
      return os << "\"" << frame.text << "\"";
    case Frame::Kind::kNull:
      return os << "(nil)";
    case Frame::Kind::kArray:
      os << "[";
      for (size_t i = 0; i < frame.array.size(); ++i) {
        os << (i ? ", " : "") << frame.array[i];
      }
      return os << "]";
  }
  return os;
}

}  // namespace weft::mini_redis
