// FramedRead, FramedWrite, Framed: a stream of frames over a stream of
// bytes, through a codec (tokio-util's codec::Framed*).
//
//   io::Framed lines(std::move(stream), io::LinesCodec(1024));
//   std::string line;
//   while (*co_await lines.Next(line)) {                 // false at EOF
//     CO_RETURN_IF_ERROR(co_await lines.Send("you said: " + line));
//   }
//
//   Next(item)   the next frame into `item` (its storage reused): true;
//                false at EOF between frames. A frame already read costs
//                no coroutine frame (NextFrame below). Errors: the stream's, or
//                the codec's, as "read frame <stream>: <why>" with the codec's
//                status code; EOF inside a frame is DataLoss.
//   Next()       the same, as a new std::optional<Item> (nullopt at EOF).
//   Feed(item)   encodes into the write buffer; Flush() writes it all.
//   Send(item)   Feed, then Flush.
//
// Bytes are read in chunks into a buffer the codec parses in place; the
// codec is asked for a frame before every read, so frames that arrived
// together cost one read. Cancel-safe: a Next lost in a Select has
// consumed nothing that the next Next will not see, because bytes move
// from the stream into the buffer only as a read completes.
//
// FramedRead holds a reader and a decoder, FramedWrite a writer and an
// encoder, Framed one stream and one codec doing both; they share the loop
// (ReadFrame, FlushFrames below).
#ifndef WEFT_NET_FRAMED_H_
#define WEFT_NET_FRAMED_H_

#include <coroutine>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "net/async_io.h"
#include "net/byte_buffer.h"
#include "net/codec.h"
#include "net/io_ext.h"
#include "runtime/task/task.h"

namespace weft::io {

namespace framed_internal {

inline constexpr size_t kReadChunk = 8 * 1024;

inline absl::Status Annotate(const absl::Status& status, const char* what,
                             const std::string& name) {
  return absl::Status(status.code(),
                      absl::StrCat(what, " ", name, ": ", status.message()));
}

template <class D>
absl::StatusOr<bool> DecodeEof(D& decoder, ByteBuffer& buffer,
                               typename D::Item& item) {
  if constexpr (requires { decoder.DecodeEof(buffer, item); }) {
    return decoder.DecodeEof(buffer, item);
  } else {
    absl::StatusOr<bool> got = decoder.Decode(buffer, item);
    if (!got.ok() || *got || buffer.empty()) return got;
    return absl::DataLossError(absl::StrCat("EOF in the middle of a frame (",
                                            buffer.size(), " bytes left)"));
  }
}

// One frame from `reader` through `decoder`; `eof` remembers that the
// stream ended.
template <class R, class D>
Task<absl::StatusOr<bool>> ReadFrame(R& reader, D& decoder, ByteBuffer& buffer,
                                     bool& eof, typename D::Item& item) {
  for (;;) {
    absl::StatusOr<bool> got =
        eof ? DecodeEof(decoder, buffer, item) : decoder.Decode(buffer, item);
    if (!got.ok()) {
      co_return Annotate(got.status(), "read frame", StreamName(reader));
    }
    if (*got || eof) co_return *got;
    absl::StatusOr<size_t> n =
        co_await reader.Read(buffer.WritableTail(kReadChunk));
    if (!n.ok()) co_return n.status();
    if (*n == 0) eof = true;
    buffer.Commit(*n);
  }
}

// What Next(item) returns. A frame already in the buffer is decoded in
// await_ready, so the common case (many frames per read) costs no
// coroutine frame and no suspension; only when bytes must be read does it
// start ReadFrame, and await it as a Task is awaited. Decoding waits for
// the await: an awaitable made and dropped unawaited (a Select's loser
// that was never asked) consumes nothing.
template <class R, class D>
class NextFrame {
 public:
  using Item = typename D::Item;
  NextFrame(R& reader, D& decoder, ByteBuffer& buffer, bool& eof, Item& item)
      : reader_(&reader),
        decoder_(&decoder),
        buffer_(&buffer),
        eof_(&eof),
        item_(&item) {}
  NextFrame(NextFrame&&) = default;

  bool await_ready() {
    if (!*eof_) {
      absl::StatusOr<bool> got = decoder_->Decode(*buffer_, *item_);
      if (!got.ok()) {
        now_.emplace(
            Annotate(got.status(), "read frame", StreamName(*reader_)));
        return true;
      }
      if (*got) {
        now_.emplace(true);
        return true;
      }
    }
    slow_.emplace(
        ReadFrame(*reader_, *decoder_, *buffer_, *eof_, *item_).Release());
    return slow_->await_ready();
  }
  void await_suspend(std::coroutine_handle<> parent) {
    slow_->await_suspend(parent);
  }
  absl::StatusOr<bool> await_resume() {
    if (now_) return *std::move(now_);
    return slow_->await_resume();
  }

 private:
  R* reader_;
  D* decoder_;
  ByteBuffer* buffer_;
  bool* eof_;
  Item* item_;
  std::optional<absl::StatusOr<bool>> now_;
  std::optional<typename Task<absl::StatusOr<bool>>::Awaiter> slow_;
};

template <class E, class Item>
absl::Status EncodeFrame(E& encoder, const Item& item, ByteBuffer& buffer,
                         const auto& writer) {
  absl::Status encoded = encoder.Encode(item, buffer);
  if (!encoded.ok())
    return Annotate(encoded, "write frame", StreamName(writer));
  return absl::OkStatus();
}

// Next() for a framer that has Next(item): the frame as a new item.
template <class F>
Task<absl::StatusOr<std::optional<typename F::Item>>> NextOwned(F& framed) {
  typename F::Item item{};
  absl::StatusOr<bool> got = co_await framed.Next(item);
  if (!got.ok()) co_return got.status();
  if (!*got) co_return std::nullopt;
  co_return std::optional<typename F::Item>(std::move(item));
}

// Send(item) for a framer that has Feed and Flush.
template <class F, class Item>
Task<absl::Status> SendFrame(F& framed, const Item& item) {
  absl::Status fed = framed.Feed(item);
  if (!fed.ok()) co_return fed;
  absl::Status flushed = co_await framed.Flush();
  co_return flushed;
}

// Writes out `buffer`, consuming bytes only as the stream takes them.
template <class W>
Task<absl::Status> FlushFrames(W& writer, ByteBuffer& buffer) {
  while (!buffer.empty()) {
    absl::StatusOr<size_t> n = co_await writer.Write(buffer.Readable());
    if (!n.ok()) co_return n.status();
    buffer.Consume(*n);
  }
  co_return absl::OkStatus();
}

}  // namespace framed_internal

template <AsyncRead R, Decoder D>
class FramedRead {
 public:
  using Item = typename D::Item;
  FramedRead(R inner, D decoder)
      : inner_(std::move(inner)), decoder_(std::move(decoder)) {}

  framed_internal::NextFrame<R, D> Next(Item& item) {
    return {inner_, decoder_, buffer_, eof_, item};
  }
  Task<absl::StatusOr<std::optional<Item>>> Next() {
    return framed_internal::NextOwned(*this);
  }

  R& inner() { return inner_; }
  D& decoder() { return decoder_; }
  // Read and not yet decoded.
  const ByteBuffer& ReadBuffer() const { return buffer_; }

 private:
  R inner_;
  D decoder_;
  ByteBuffer buffer_;
  bool eof_ = false;
};

template <AsyncWrite W, class E>
class FramedWrite {
 public:
  FramedWrite(W inner, E encoder)
      : inner_(std::move(inner)), encoder_(std::move(encoder)) {}

  template <class Item>
  requires Encoder<E, Item> absl::Status Feed(const Item& item) {
    return framed_internal::EncodeFrame(encoder_, item, buffer_, inner_);
  }
  Task<absl::Status> Flush() {
    return framed_internal::FlushFrames(inner_, buffer_);
  }
  template <class Item>
  requires Encoder<E, Item> Task<absl::Status> Send(const Item& item) {
    return framed_internal::SendFrame(*this, item);
  }

  W& inner() { return inner_; }
  E& encoder() { return encoder_; }
  // Encoded and not yet written.
  const ByteBuffer& WriteBuffer() const { return buffer_; }

 private:
  W inner_;
  E encoder_;
  ByteBuffer buffer_;
};

// Both directions of one stream through one codec.
template <class S, Decoder C>
requires AsyncRead<S> && AsyncWrite<S>
class Framed {
 public:
  using Item = typename C::Item;
  Framed(S inner, C codec)
      : inner_(std::move(inner)), codec_(std::move(codec)) {}

  Task<absl::StatusOr<bool>> Next(Item& item) {
    return framed_internal::ReadFrame(inner_, codec_, read_buffer_, eof_, item);
  }
  Task<absl::StatusOr<std::optional<Item>>> Next() {
    return framed_internal::NextOwned(*this);
  }
  template <class U>
  requires Encoder<C, U> absl::Status Feed(const U& item) {
    return framed_internal::EncodeFrame(codec_, item, write_buffer_, inner_);
  }
  Task<absl::Status> Flush() {
    return framed_internal::FlushFrames(inner_, write_buffer_);
  }
  template <class U>
  requires Encoder<C, U> Task<absl::Status> Send(const U& item) {
    return framed_internal::SendFrame(*this, item);
  }

  S& inner() { return inner_; }
  C& codec() { return codec_; }

 private:
  S inner_;
  C codec_;
  ByteBuffer read_buffer_;
  ByteBuffer write_buffer_;
  bool eof_ = false;
};

}  // namespace weft::io

#endif  // WEFT_NET_FRAMED_H_
