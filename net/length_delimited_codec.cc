#include "net/length_delimited_codec.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace weft::io {

LengthDelimitedCodec::LengthDelimitedCodec(Options options)
    : options_(options) {
  if (options_.length_field_bytes < 1 || options_.length_field_bytes > 8) {
    throw std::invalid_argument(
        absl::StrCat("weft: LengthDelimitedCodec length_field_bytes ",
                     options_.length_field_bytes, " is not 1 to 8"));
  }
}

absl::StatusOr<bool> LengthDelimitedCodec::Decode(ByteBuffer& src,
                                                  std::string& payload) {
  const size_t width = static_cast<size_t>(options_.length_field_bytes);
  if (!pending_) {
    if (src.size() < width) return false;
    const auto* bytes = reinterpret_cast<const unsigned char*>(src.data());
    uint64_t length = 0;
    for (size_t i = 0; i < width; ++i) {
      const size_t at = options_.big_endian ? i : width - 1 - i;
      length = length << 8 | bytes[at];
    }
    if (length > options_.max_frame_length) {
      return absl::OutOfRangeError(absl::StrCat("frame of ", length,
                                                " bytes is over the maximum ",
                                                options_.max_frame_length));
    }
    src.Consume(width);
    pending_ = static_cast<size_t>(length);
    // The whole frame will be here at once: one growth, not several.
    src.Reserve(*pending_);
  }
  if (src.size() < *pending_) return false;
  payload.assign(src.data(), *pending_);
  src.Consume(*pending_);
  pending_.reset();
  return true;
}

absl::StatusOr<bool> LengthDelimitedCodec::DecodeEof(ByteBuffer& src,
                                                     std::string& payload) {
  absl::StatusOr<bool> got = Decode(src, payload);
  if (!got.ok() || *got) return got;
  if (pending_) {
    return absl::DataLossError(absl::StrCat("EOF after ", src.size(), " of ",
                                            *pending_,
                                            " bytes of a frame's payload"));
  }
  if (!src.empty()) {
    return absl::DataLossError(absl::StrCat("EOF after ", src.size(), " of ",
                                            options_.length_field_bytes,
                                            " bytes of a length header"));
  }
  return false;
}

absl::Status LengthDelimitedCodec::Encode(std::string_view payload,
                                          ByteBuffer& dst) {
  const size_t width = static_cast<size_t>(options_.length_field_bytes);
  if (payload.size() > options_.max_frame_length) {
    return absl::InvalidArgumentError(
        absl::StrCat("frame of ", payload.size(), " bytes is over the maximum ",
                     options_.max_frame_length));
  }
  if (width < 8 && payload.size() >> (8 * width) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("frame of ", payload.size(), " bytes does not fit a ",
                     width, "-byte length header"));
  }
  dst.Reserve(dst.size() + width + payload.size());
  unsigned char header[8];
  const uint64_t length = payload.size();
  for (size_t i = 0; i < width; ++i) {
    const size_t at = options_.big_endian ? width - 1 - i : i;
    header[at] = static_cast<unsigned char>(length >> (8 * i));
  }
  dst.Append(std::string_view(reinterpret_cast<const char*>(header), width));
  dst.Append(payload);
  return absl::OkStatus();
}

}  // namespace weft::io
