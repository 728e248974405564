// Fuzz target: mini-redis' RESP2 parsers on random bytes, fed in chunks:
// the frame decoder (the client's) and ParseCommand (the server's). Never
// a crash, no allocation for a header's word alone (limits kept small
// here, so a missed check shows as a crash or a slow input), every frame
// decoded re-encodes to bytes that decode to it again, and a command's
// parse never depends on how its bytes were chunked.
//
// As a libFuzzer binary: tools/bazel build --config=fuzz
// //tests/fuzz:resp_fuzzer. As a test (every configuration): over every
// file in resp_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "examples/mini_redis/resp_codec.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

using weft::mini_redis::Frame;
using weft::mini_redis::RespCodec;

// The server's parse, as Connection runs it: after each chunk, every whole
// command from where the last one ended. Each must be what parsing the
// whole input at once gives at that offset, its words must lie inside the
// bytes it took, and an error must be final.
void CheckCommands(std::string_view input, size_t chunk,
                   const RespCodec::Limits& limits) {
  std::vector<std::string_view> args, whole_args;
  size_t parsed = 0;
  for (size_t end = std::min(chunk, input.size());;
       end = std::min(end + chunk, input.size())) {
    for (;;) {
      const std::string_view rest = input.substr(parsed, end - parsed);
      absl::StatusOr<size_t> used = ParseCommand(rest, limits, args);
      absl::StatusOr<size_t> whole =
          ParseCommand(input.substr(parsed), limits, whole_args);
      if (!used.ok()) {
        Check(used.status().code() == absl::StatusCode::kInvalidArgument);
        Check(!whole.ok());
        return;
      }
      if (*used == 0) break;
      Check(whole.ok() && *whole == *used && whole_args == args);
      for (std::string_view arg : args) {
        Check(arg.data() >= rest.data() &&
              arg.data() + arg.size() <= rest.data() + *used);
      }
      parsed += *used;
    }
    if (end == input.size()) return;
  }
}

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
  CheckCommands(input, chunk, limits);
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
