// Decoder and Encoder: how a codec turns bytes into frames and back
// (tokio-util's codec traits), for FramedRead and FramedWrite (framed.h).
//
// A Decoder is a parser that is handed the bytes read so far, and an
// Encoder appends a frame's bytes; one codec is usually both:
//
//   struct MyCodec {
//     using Item = std::string;  // what a frame decodes to
//     // A whole frame at the front of `src`: consume its bytes, fill `item`
//     // (reusing its storage), true. Not yet: consume nothing (or only
//     // what it will never need again), false; the framer reads more and
//     // asks again. Bad input: an error, which the framer returns naming
//     // the stream.
//     absl::StatusOr<bool> Decode(io::ByteBuffer& src, Item& item);
//     // Optional: the same once the stream has ended. Without it, bytes
//     // left over at EOF are an error: EOF in the middle of a frame.
//     absl::StatusOr<bool> DecodeEof(io::ByteBuffer& src, Item& item);
//     absl::Status Encode(const Item& item, io::ByteBuffer& dst);
//   };
//
// Frames decode into an item the caller keeps and the codec refills, so a
// steady stream of frames allocates nothing once the buffers and the item
// have grown to their working size.
//
// Writing a codec: keep what you learned about an incomplete frame (how
// far you searched, the length you read) in the codec, so the next Decode
// does not start over; bound every frame (a peer decides what arrives).
// lines_codec.h and length_delimited_codec.h are the two examples.
#ifndef WEFT_NET_CODEC_H_
#define WEFT_NET_CODEC_H_

#include <concepts>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/byte_buffer.h"

namespace weft::io {

template <class D>
concept Decoder = requires(D& decoder, ByteBuffer& src,
                           typename D::Item& item) {
  { decoder.Decode(src, item) } -> std::same_as<absl::StatusOr<bool>>;
};

template <class E, class Item>
concept Encoder = requires(E& encoder, const Item& item, ByteBuffer& dst) {
  { encoder.Encode(item, dst) } -> std::same_as<absl::Status>;
};

}  // namespace weft::io

#endif  // WEFT_NET_CODEC_H_
