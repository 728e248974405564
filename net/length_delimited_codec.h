// LengthDelimitedCodec: each frame is a length header and that many bytes
// of payload (tokio-util's LengthDelimitedCodec).
//
//   io::LengthDelimitedCodec codec({.length_field_bytes = 2,
//                                   .big_endian = false,
//                                   .max_frame_length = 4096});
//
// A frame on the wire:
//
//   [ length: length_field_bytes, big- or little-endian | payload ]
//
// The header counts the payload alone. Options, with tokio's defaults: a
// 4-byte big-endian header, frames up to 8 MiB. A header announcing more
// than max_frame_length is an error (OutOfRange "frame of N bytes is over
// the maximum M") before any of the payload is buffered, so a hostile peer
// cannot make the reader hold more than the maximum; after it, the stream
// is out of step, and the framer should be dropped. EOF inside a header
// or a payload is DataLoss, saying how much was missing. Encoding a
// payload over the maximum, or too long for the header's width, is
// InvalidArgument, and writes nothing.
#ifndef WEFT_NET_LENGTH_DELIMITED_CODEC_H_
#define WEFT_NET_LENGTH_DELIMITED_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/byte_buffer.h"

namespace weft::io {

class LengthDelimitedCodec {
 public:
  using Item = std::string;
  struct Options {
    int length_field_bytes = 4;  // 1 to 8
    bool big_endian = true;
    size_t max_frame_length = 8 * 1024 * 1024;
  };

  LengthDelimitedCodec() : LengthDelimitedCodec(Options{}) {}
  // A width outside 1..8 throws std::invalid_argument: a programming
  // error, not input.
  explicit LengthDelimitedCodec(Options options);

  const Options& options() const { return options_; }

  absl::StatusOr<bool> Decode(ByteBuffer& src, std::string& payload);
  absl::StatusOr<bool> DecodeEof(ByteBuffer& src, std::string& payload);
  absl::Status Encode(std::string_view payload, ByteBuffer& dst);

 private:
  Options options_;
  // The length of the frame whose header was read and consumed, while its
  // payload is still arriving.
  std::optional<size_t> pending_;
};

}  // namespace weft::io

#endif  // WEFT_NET_LENGTH_DELIMITED_CODEC_H_
