// Fuzz target: LengthDelimitedCodec over bytes that arrive in chunks.
// Never a crash, and never more buffered than one frame's header, its
// maximum payload and a chunk; every frame decoded is within the maximum;
// input that decodes without error re-encodes to exactly the same bytes.
//
// Input: [width - 1 | big_endian << 3][max / 4][chunk - 1][bytes...]. As a
// libFuzzer binary: tools/bazel build --config=fuzz
// //tests/fuzz:length_delimited_fuzzer. As a test (every configuration):
// over every file in length_delimited_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/byte_buffer.h"
#include "net/length_delimited_codec.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const weft::io::LengthDelimitedCodec::Options options{
      .length_field_bytes = 1 + (data[0] & 7),
      .big_endian = (data[0] & 8) != 0,
      .max_frame_length = size_t{data[1]} * 4};
  const size_t chunk = 1 + data[2] % 32;
  const std::string_view input(reinterpret_cast<const char*>(data + 3),
                               size - 3);

  weft::io::LengthDelimitedCodec codec(options);
  weft::io::LengthDelimitedCodec encoder(options);
  weft::io::ByteBuffer buffer;
  weft::io::ByteBuffer reencoded;
  std::string frame;
  bool failed = false;
  auto take = [&](bool eof) {
    while (!failed) {
      absl::StatusOr<bool> got =
          eof ? codec.DecodeEof(buffer, frame) : codec.Decode(buffer, frame);
      if (!got.ok()) {
        Check(got.status().code() == absl::StatusCode::kOutOfRange ||
              got.status().code() == absl::StatusCode::kDataLoss);
        failed = true;  // out of step: a real framer stops here too
        return;
      }
      if (!*got) return;
      Check(frame.size() <= options.max_frame_length);
      Check(encoder.Encode(frame, reencoded).ok());
    }
  };
  for (size_t at = 0; at < input.size() && !failed; at += chunk) {
    buffer.Append(input.substr(at, chunk));
    take(/*eof=*/false);
    Check(failed || buffer.size() <= 8 + options.max_frame_length + chunk);
  }
  if (!failed) take(/*eof=*/true);
  if (!failed) Check(reencoded.View() == input);
  return 0;
}
