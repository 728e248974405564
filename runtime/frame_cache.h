// FrameCache: each thread keeps a few freed Task frame blocks for the next
// frames of the same size.
//
// Every spawned task, and every child task a coroutine awaits, is a heap
// block ([room | frame], task.h), and a server makes and frees them at a
// steady rate, mostly of a handful of sizes. Boost.Asio recycles its
// coroutine frames the same way (a small per-thread cache): a block freed
// here is pushed on its size class's list and popped by the next frame of
// that class, which costs a few instructions where malloc and free cost
// about a hundred.
//
//   size class  the malloc chunk the block takes, in 16-byte units (its
//               bytes plus malloc's 8-byte size field, rounded up); every
//               block of a class is allocated class * 16 - 8 bytes, so any
//               of them fits any frame of it. 0 means "not cached": a chunk
//               over kMaxClass * 16 bytes.
//   bounds      at most kPerClass blocks a class: under 0.6 MiB a thread if
//               every class were full, a few KiB in practice, where only a
//               few classes are in use. More go to operator delete.
//
// Per thread, without locks: a block freed on another thread than the one
// that made it (the last Waker of a task dropped there) joins that thread's
// cache. At thread exit the cache frees what it holds, and frees after
// that go straight to operator delete.
//
// Under AddressSanitizer the cache is off: every frame is its own malloc,
// so a use after free of a frame is still caught.
#ifndef WEFT_RUNTIME_FRAME_CACHE_H_
#define WEFT_RUNTIME_FRAME_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <new>

namespace weft::internal {

#if defined(__SANITIZE_ADDRESS__)
#define WEFT_FRAME_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_FRAME_CACHE 0
#endif
#endif
#ifndef WEFT_FRAME_CACHE
#define WEFT_FRAME_CACHE 1
#endif

class FrameCache {
 public:
  static constexpr std::size_t kGranule = 16;
  // glibc's malloc puts an 8-byte size field in front of each block and
  // rounds the whole chunk up to 16: a class is a chunk size, so a cached
  // block takes exactly the memory malloc would have given the frame.
  static constexpr std::size_t kChunkOverhead = 8;
  static constexpr unsigned kMaxClass = 64;  // chunks up to 1 KiB
  static constexpr unsigned kPerClass = 16;

  static unsigned SizeClass(std::size_t bytes) {
    const std::size_t size_class =
        (bytes + kChunkOverhead + kGranule - 1) / kGranule;
    return size_class <= kMaxClass ? static_cast<unsigned>(size_class) : 0;
  }

  // A block of at least `bytes`, whose size class is `size_class`.
  static void* Allocate(std::size_t bytes, unsigned size_class) {
    if (WEFT_FRAME_CACHE && size_class != 0) {
      Lists& lists = tls_lists;
      if (void* block = lists.head[size_class]) {
        lists.head[size_class] = *static_cast<void**>(block);
        --lists.count[size_class];
        return block;
      }
      return ::operator new(size_class* kGranule - kChunkOverhead);
    }
    return ::operator new(bytes);
  }

  // Gives back a block that Allocate returned for `size_class`.
  static void Free(void* block, unsigned size_class) noexcept {
    Lists& lists = tls_lists;
    if (WEFT_FRAME_CACHE && size_class != 0 &&
        lists.count[size_class] < kPerClass) [[likely]] {
      if (lists.state == kOpen || Open()) [[likely]] {
        *static_cast<void**>(block) = lists.head[size_class];
        lists.head[size_class] = block;
        ++lists.count[size_class];
        return;
      }
    }
    ::operator delete(block);
  }

 private:
  struct Lists {
    void* head[kMaxClass + 1];  // linked through each block's first word
    uint8_t count[kMaxClass + 1];
    // kUnopened ──first free──► kOpen ──thread exit──► kClosed
    // (the first free registers the clean-up that closes it)
    uint8_t state;
  };
  enum : uint8_t { kUnopened = 0, kOpen = 1, kClosed = 2 };

  // The first free of the thread opens the cache; true if it is open now
  // (false once the thread's clean-up ran).
  static bool Open() noexcept;

  static inline thread_local constinit Lists tls_lists
      __attribute__((tls_model("initial-exec"))){};
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_FRAME_CACHE_H_
