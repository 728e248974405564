// RespCodec: RESP2 frames over a byte stream, as a Decoder and Encoder for
// weft's framers (net/codec.h): io::Framed<TcpStream, RespCodec>.
//
// Decoding takes what a redis server receives and what a client does:
//   * every RESP2 type, arrays nested up to Limits::max_depth;
//   * inline commands, a line of words (`PING`, redis-benchmark's
//     PING_INLINE), as an array of bulk strings; an empty line is skipped.
// A frame is decoded only once it is whole; until then nothing is consumed,
// so a command split across reads (any number of reads) comes out whole.
//
// Bad input, as redis answers it: an InvalidArgument whose message is what
// redis says ("Protocol error: invalid bulk length"); the server replies
// "-ERR <message>" and closes. Nothing is allocated from a header's word
// alone: a bulk or array announced larger than its limit is refused before
// anything is held (redis' proto-max-bulk-len and its multibulk limit), and
// an array's storage grows only with the elements that really came.
#ifndef WEFT_EXAMPLES_MINI_REDIS_RESP_CODEC_H_
#define WEFT_EXAMPLES_MINI_REDIS_RESP_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "examples/mini_redis/frame.h"
#include "net/byte_buffer.h"

namespace weft::mini_redis {

class RespCodec {
 public:
  using Item = Frame;
  struct Limits {
    size_t max_bulk = 512 * 1024 * 1024;  // redis' proto-max-bulk-len
    size_t max_multibulk = 1024 * 1024;   // elements in one array
    size_t max_inline = 64 * 1024;        // redis' PROTO_INLINE_MAX_SIZE
    int max_depth = 32;                   // arrays within arrays
  };

  RespCodec() : RespCodec(Limits{}) {}
  explicit RespCodec(Limits limits) : limits_(limits) {}

  absl::StatusOr<bool> Decode(io::ByteBuffer& src, Frame& frame);
  absl::Status Encode(const Frame& frame, io::ByteBuffer& dst);

 private:
  Limits limits_;
};

// All of `text` as a decimal 64-bit integer, as RESP writes one (and as
// INCR reads a value): no sign but '-', no spaces; nullopt otherwise.
std::optional<int64_t> ParseInteger(std::string_view text);

// One request as the server reads it (redis' processMultibulkBuffer and
// processInlineBuffer): an array of bulk strings, or an inline line of
// words, into `args` as views into `bytes` (valid while those bytes are;
// the vector's storage is reused, so a warm server allocates nothing per
// command). Returns how many bytes the request took, or 0 if it is not all
// here yet. A request of no words (an empty line, "*0") takes its bytes and
// leaves `args` empty. Errors as Decode's: "Protocol error: ...".
absl::StatusOr<size_t> ParseCommand(std::string_view bytes,
                                    const RespCodec::Limits& limits,
                                    std::vector<std::string_view>& args);

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_RESP_CODEC_H_
