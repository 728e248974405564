// Fuzz target: LinesCodec over bytes that arrive in chunks. Never a crash
// or unbounded buffering; every line decoded is within the maximum and
// re-encodes to the bytes it came from (tokio's rule aside: "\r\n" comes
// back as "\n", and a last line without "\n" gets one).
//
// Input: [max_length - 1][chunk - 1][bytes...]. As a libFuzzer binary:
// tools/bazel build --config=fuzz //tests/fuzz:lines_codec_fuzzer. As a
// test (every configuration): over every file in lines_codec_corpus/.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/byte_buffer.h"
#include "net/lines_codec.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t max_length = 1 + data[0] % 64;
  const size_t chunk = 1 + data[1] % 32;
  const std::string_view input(reinterpret_cast<const char*>(data + 2),
                               size - 2);

  weft::io::LinesCodec codec(max_length);
  weft::io::ByteBuffer buffer;
  weft::io::ByteBuffer reencoded;
  std::string line;
  bool failed = false;
  auto take = [&](bool eof) {
    for (;;) {
      absl::StatusOr<bool> got =
          eof ? codec.DecodeEof(buffer, line) : codec.Decode(buffer, line);
      if (!got.ok()) {
        Check(got.status().code() == absl::StatusCode::kResourceExhausted);
        failed = true;
        continue;  // the codec skips the long line; go on
      }
      if (!*got) return;
      Check(line.size() <= max_length);
      Check(line.find('\n') == std::string::npos);
      Check(codec.Encode(line, reencoded).ok());
    }
  };
  for (size_t at = 0; at < input.size(); at += chunk) {
    buffer.Append(input.substr(at, chunk));
    take(/*eof=*/false);
    // Bounded: a line is refused once max_length + 2 bytes came without
    // its end, so no more than that and a chunk is ever held.
    Check(buffer.size() <= max_length + 2 + chunk);
  }
  take(/*eof=*/true);
  Check(buffer.empty());

  if (!failed) {
    std::string expected;
    for (size_t i = 0; i < input.size(); ++i) {
      if (input[i] == '\r' && i + 1 < input.size() && input[i + 1] == '\n') {
        continue;  // "\r\n" decodes as "\n"
      }
      expected.push_back(input[i]);
    }
    if (!expected.empty() && expected.back() != '\n') {
      if (expected.back() == '\r') expected.pop_back();  // trimmed at EOF
      expected.push_back('\n');
    }
    Check(reencoded.View() == expected);
  }
  return 0;
}
