// RESP2 replies written straight into a connection's output buffer: what
// the server answers with, one call per value, with no Frame built first
// (so a GET's reply is its value's bytes copied once, and no allocation).
// RespCodec's encoder writes Frames with the same calls.
//
//   AppendBulk(out, value)      $5\r\nhello\r\n
//   AppendArrayHeader(out, 3)   *3\r\n  then the three elements
#ifndef WEFT_EXAMPLES_MINI_REDIS_RESP_WRITER_H_
#define WEFT_EXAMPLES_MINI_REDIS_RESP_WRITER_H_

#include <charconv>
#include <cstdint>
#include <string_view>

#include "net/byte_buffer.h"

namespace weft::mini_redis {

// `type` then `value` in decimal then CRLF: ":42\r\n", "$5\r\n", "*3\r\n".
inline void AppendTypedNumber(io::ByteBuffer& out, char type, int64_t value) {
  char buf[24];  // type, at most 20 characters of int64, CRLF
  buf[0] = type;
  char* end = std::to_chars(buf + 1, buf + sizeof buf - 2, value).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out.Append(std::string_view(buf, end - buf));
}

// A simple string or an error: its text must hold no CR or LF (callers
// pass their own constants, or RespCodec checks a Frame's).
inline void AppendSimple(io::ByteBuffer& out, std::string_view text) {
  out.Append(std::string_view("+"));
  out.Append(text);
  out.Append(std::string_view("\r\n"));
}
inline void AppendError(io::ByteBuffer& out, std::string_view text) {
  out.Append(std::string_view("-"));
  out.Append(text);
  out.Append(std::string_view("\r\n"));
}
inline void AppendInteger(io::ByteBuffer& out, int64_t value) {
  AppendTypedNumber(out, ':', value);
}
inline void AppendBulk(io::ByteBuffer& out, std::string_view bytes) {
  AppendTypedNumber(out, '$', static_cast<int64_t>(bytes.size()));
  out.Append(bytes);
  out.Append(std::string_view("\r\n"));
}
inline void AppendNull(io::ByteBuffer& out) {
  out.Append(std::string_view("$-1\r\n"));
}
inline void AppendArrayHeader(io::ByteBuffer& out, size_t count) {
  AppendTypedNumber(out, '*', static_cast<int64_t>(count));
}

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_RESP_WRITER_H_
