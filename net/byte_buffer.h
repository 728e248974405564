// ByteBuffer: bytes between a stream and whoever parses or produces them
// (tokio's BytesMut, as BufReader, BufWriter and the codecs use it).
//
//   [ consumed | readable: Readable() | room: WritableTail() ]
//   0          begin_                 end_                   capacity_
//
// A reader appends at the end (WritableTail, then Commit what the read
// filled) and a parser takes from the front (Readable, then Consume). When
// the room at the end is too small, the readable bytes move to the front
// first and the block grows only if that is not enough, so a buffer that
// has reached its working size allocates nothing more: what keeps the
// codecs' steady state free of allocations. Invariant: begin_ <= end_ <=
// capacity_; an empty buffer has begin_ == end_ == 0.
#ifndef WEFT_NET_BYTE_BUFFER_H_
#define WEFT_NET_BYTE_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace weft::io {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  explicit ByteBuffer(size_t capacity) { Reserve(capacity); }
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  size_t size() const { return end_ - begin_; }
  bool empty() const { return end_ == begin_; }
  size_t capacity() const { return capacity_; }
  const char* data() const { return storage_.get() + begin_; }
  std::span<const char> Readable() const { return {data(), size()}; }
  std::string_view View() const { return {data(), size()}; }

  // Drops the first `n` readable bytes (n <= size()).
  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void Clear() { begin_ = end_ = 0; }

  // The room after the readable bytes, at least `min` bytes of it.
  std::span<char> WritableTail(size_t min) {
    if (capacity_ - end_ < min) MakeRoom(min);
    return {storage_.get() + end_, capacity_ - end_};
  }
  // The first `n` bytes of the room now hold data.
  void Commit(size_t n) { end_ += n; }

  void Append(std::span<const char> bytes) {
    std::span<char> room = WritableTail(bytes.size());
    if (!bytes.empty()) std::memcpy(room.data(), bytes.data(), bytes.size());
    Commit(bytes.size());
  }
  void Append(std::string_view bytes) {
    Append(std::span<const char>(bytes.data(), bytes.size()));
  }
  void Append(const std::string& bytes) { Append(std::string_view(bytes)); }

  // Room for `capacity` bytes in all, counting those held.
  void Reserve(size_t capacity) {
    if (capacity > capacity_ - begin_) MakeRoom(capacity - size());
  }

 private:
  void MakeRoom(size_t min) {
    const size_t held = size();
    if (capacity_ - held >= min) {
      // Enough room once the consumed front is reused: move the held bytes
      // there (a partial frame or line, as a rule: few).
      if (held > 0) std::memmove(storage_.get(), data(), held);
    } else {
      const size_t grown = std::max({held + min, 2 * capacity_, size_t{64}});
      std::unique_ptr<char[]> bigger(new char[grown]);
      if (held > 0) std::memcpy(bigger.get(), data(), held);
      storage_ = std::move(bigger);
      capacity_ = grown;
    }
    begin_ = 0;
    end_ = held;
  }

  std::unique_ptr<char[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace weft::io

#endif  // WEFT_NET_BYTE_BUFFER_H_
