// PooledBuffer: a copy buffer borrowed from this thread's pool.
//
// io::Copy borrows one only once data is known to be there, and returns it
// as soon as the bytes are written, so an idle connection holds no buffer
// (an echo server with 10,000 idle connections holds none, not 160 MB).
// The pool keeps up to kMaxPooled free buffers per thread; a runtime is one
// thread, so this is in effect a per-runtime pool, with no locking.
#ifndef WEFT_NET_BUFFER_POOL_H_
#define WEFT_NET_BUFFER_POOL_H_

#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace weft::io {

class PooledBuffer {
 public:
  static constexpr size_t kSize = 16 * 1024;  // a 16 KiB message in one read
  static constexpr size_t kMaxPooled = 64;

  static PooledBuffer Borrow() {
    std::vector<std::unique_ptr<char[]>>& free = Free();
    if (free.empty()) return PooledBuffer(std::make_unique<char[]>(kSize));
    PooledBuffer b(std::move(free.back()));
    free.pop_back();
    return b;
  }

  PooledBuffer(PooledBuffer&&) = default;
  PooledBuffer& operator=(PooledBuffer&&) = default;
  ~PooledBuffer() {
    std::vector<std::unique_ptr<char[]>>& free = Free();
    if (data_ && free.size() < kMaxPooled) free.push_back(std::move(data_));
  }

  std::span<char> span() { return {data_.get(), kSize}; }
  char* data() { return data_.get(); }

 private:
  explicit PooledBuffer(std::unique_ptr<char[]> data)
      : data_(std::move(data)) {}
  static std::vector<std::unique_ptr<char[]>>& Free() {
    static thread_local std::vector<std::unique_ptr<char[]>> free;
    return free;
  }

  std::unique_ptr<char[]> data_;
};

}  // namespace weft::io

#endif  // WEFT_NET_BUFFER_POOL_H_
