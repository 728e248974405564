// Fuzz target: mini-redis' RESP2 frame parser on random bytes, fed in
// chunks. Never a crash, no allocation for a header's word alone (limits
// kept small here, so a missed check shows as a crash or a slow input),
// and every frame decoded re-encodes to bytes that decode to it again.
//
// As a libFuzzer binary: tools/bazel build --config=fuzz
// //tests/fuzz:resp_fuzzer. As a test (every configuration): over every
// file in resp_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "examples/mini_redis/resp_codec.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

using weft::mini_redis::Frame;
using weft::mini_redis::RespCodec;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  const RespCodec::Limits limits{.max_bulk = 4096,
                                 .max_multibulk = 256,
                                 .max_inline = 1024,
                                 .max_depth = 8};
  RespCodec codec(limits);
  weft::io::ByteBuffer buffer;
  for (size_t at = 0; at < input.size(); at += chunk) {
    buffer.Append(input.substr(at, chunk));
    for (;;) {
      Frame frame;
      absl::StatusOr<bool> got = codec.Decode(buffer, frame);
      if (!got.ok()) {
        Check(got.status().code() == absl::StatusCode::kInvalidArgument);
        return 0;  // the server closes here
      }
      if (!*got) break;
      weft::io::ByteBuffer again;
      if (!codec.Encode(frame, again).ok()) continue;  // e.g. "\r" in +text
      Frame back;
      absl::StatusOr<bool> round = RespCodec(limits).Decode(again, back);
      Check(round.ok() && *round && again.empty());
      // An inline command decodes as an array of bulks, and so re-encodes.
      Check(back == frame);
    }
  }
  return 0;
}
