// FramedRead, FramedWrite, Framed: a stream of frames over a stream of
// bytes, through a codec (tokio-util's codec::Framed*).
//
//   io::Framed lines(std::move(stream), io::LinesCodec(1024));
//   std::string line;
//   while (*co_await lines.Next(line)) {                 // false at EOF
//     CO_RETURN_IF_ERROR(co_await lines.Send("you said: " + line));
//   }
//
// The calls:
//
//   Next(item)   the next frame into `item` (its storage reused): true,
//                false at EOF between frames. A frame already read costs
//                no coroutine frame (NextFrame below). Errors: the
//                stream's, or the codec's, as "read frame <stream>: <why>"
//                with the codec's status code. EOF inside a frame is
//                DataLoss.
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

// Reads ask for kReadChunk bytes of room at first, tokio's 8 KiB. A read
// that fills all the room it was given (the stream had more) doubles the
// next one's, up to kMaxReadChunk: a bulk stream is read in large chunks
// (a line a call over loopback took 1.3x a read-and-memchr loop's CPU time
// reading 64 KiB, 1.8x reading 8 KiB: docs/benchmarks.md), while a
// connection of small requests keeps its 8 KiB buffer.
inline constexpr size_t kReadChunk = 8 * 1024;
inline constexpr size_t kMaxReadChunk = 64 * 1024;

// What a framer's reading keeps between frames.
struct ReadState {
  ByteBuffer buffer;  // read and not yet decoded
  bool eof = false;   // the stream ended
  size_t read_size = kReadChunk;
};

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

// One frame from `reader` through `decoder`, reading as needed.
template <class R, class D>
Task<absl::StatusOr<bool>> ReadFrame(R& reader, D& decoder, ReadState& state,
                                     typename D::Item& item) {
  ByteBuffer& buffer = state.buffer;
  bool& eof = state.eof;
  for (;;) {
    absl::StatusOr<bool> got =
        eof ? DecodeEof(decoder, buffer, item) : decoder.Decode(buffer, item);
    if (!got.ok()) {
      co_return Annotate(got.status(), "read frame", StreamName(reader));
    }
    if (*got || eof) co_return *got;
    const std::span<char> room = buffer.WritableTail(state.read_size);
    absl::StatusOr<size_t> n = co_await reader.Read(room);
    if (!n.ok()) co_return n.status();
    if (*n == 0) eof = true;
    if (*n == room.size() && state.read_size < kMaxReadChunk) {
      state.read_size *= 2;
    }
    buffer.Commit(*n);
  }
}

// What Next(item) returns: an awaitable whose awaiter decodes a frame
// already in the buffer in await_ready, so the common case (many frames per
// read) costs no coroutine frame and no suspension; only when bytes must be
// read does it start ReadFrame, and await it as a Task is awaited.
//
// The awaitable only points at the framer; each co_await (or each question
// Select asks) makes a fresh awaiter. So the read loop's frame is owned by
// an awaiter that lives in the awaiting coroutine's frame, where a
// cancellation destroying that chain finds it (DestroyChain), never by an
// awaitable that a Select holds outside its branches. And decoding waits
// for the await: an awaitable dropped unawaited consumes nothing.
template <class R, class D>
class NextFrame {
 public:
  using Item = typename D::Item;
  NextFrame(R& reader, D& decoder, ReadState& state, Item& item)
      : reader_(&reader), decoder_(&decoder), state_(&state), item_(&item) {}

  class [[nodiscard]] [[gnu::warn_unused]] Awaiter {
   public:
    explicit Awaiter(const NextFrame& next) : next_(next) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;

    // Forced inline into the awaiting coroutine, as the codec's common case
    // is into this, so that the StatusOr between them folds away (clang
    // inlines neither by itself): a line from the buffer costs no call
    // (docs/benchmarks.md, "I/O").
    [[gnu::always_inline]] bool await_ready() {
      if (!next_.state_->eof) {
        absl::StatusOr<bool> got =
            next_.decoder_->Decode(next_.state_->buffer, *next_.item_);
        if (!got.ok()) {
          error_ =
              Annotate(got.status(), "read frame", StreamName(*next_.reader_));
          ready_ = true;
          return true;
        }
        if (*got) {
          ready_ = true;
          return true;
        }
      }
      return false;
    }
    void await_suspend(std::coroutine_handle<> parent) {
      slow_.emplace(ReadFrame(*next_.reader_, *next_.decoder_, *next_.state_,
                              *next_.item_)
                        .Release());
      slow_->await_suspend(parent);
    }
    absl::StatusOr<bool> await_resume() {
      if (!ready_) return slow_->await_resume();
      if (!error_.ok()) return std::move(error_);
      return true;
    }

   private:
    NextFrame next_;
    bool ready_ = false;  // decoded in await_ready: a frame, or error_
    absl::Status error_;
    std::optional<typename Task<absl::StatusOr<bool>>::Awaiter> slow_;
  };
  Awaiter operator co_await() & { return Awaiter(*this); }
  Awaiter operator co_await() && { return Awaiter(*this); }

 private:
  R* reader_;
  D* decoder_;
  ReadState* state_;
  Item* item_;
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
    return {inner_, decoder_, read_, item};
  }
  Task<absl::StatusOr<std::optional<Item>>> Next() {
    return framed_internal::NextOwned(*this);
  }

  R& inner() { return inner_; }
  D& decoder() { return decoder_; }
  // Read and not yet decoded.
  const ByteBuffer& ReadBuffer() const { return read_.buffer; }

 private:
  R inner_;
  D decoder_;
  framed_internal::ReadState read_;
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

  framed_internal::NextFrame<S, C> Next(Item& item) {
    return {inner_, codec_, read_, item};
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
  // Read and not yet decoded; encoded and not yet written.
  const ByteBuffer& ReadBuffer() const { return read_.buffer; }
  const ByteBuffer& WriteBuffer() const { return write_buffer_; }

 private:
  S inner_;
  C codec_;
  framed_internal::ReadState read_;
  ByteBuffer write_buffer_;
};

}  // namespace weft::io

#endif  // WEFT_NET_FRAMED_H_
