// FrameCache: each thread keeps a few free Task frame blocks for its next
// frames.
//
// Blocks come from FramePages (frame_pages.h), which takes a lock; the
// cache in front of it takes none. A thread that makes and frees frames at
// a steady rate, as a server does, mostly of a handful of sizes, pops and
// pushes its own lists: a few instructions where malloc and free cost about
// a hundred. Boost.Asio recycles its coroutine frames the same way.
//
//   size class  the block's size in 16-byte units (FramePages::kGranule);
//               every block of a class is class * 16 bytes, so any of them
//               fits any frame of it. 0 means "not from pages": over
//               kMaxClass * 16 bytes, from operator new.
//   batches     an empty list takes kBatch blocks from the pages; a list
//               that reaches kPerClass gives kBatch back. So the lock is
//               taken once per kBatch frames at worst, and a thread holds
//               at most kPerClass free blocks a class.
//
// A block freed on another thread than the one that took it (the last
// Waker of a task dropped there) joins that thread's cache: every block
// belongs to the pages, not to a thread. At thread exit the cache gives
// back what it holds, and frees after that go straight to the pages.
//
// The switch: built with WEFT_PLAIN_FRAMES (`--config=plainframes`; CI runs
// every test so) or under AddressSanitizer, the cache and the pages are
// off: every frame block is its own operator new and delete. That is the
// baseline the techniques are measured against, and how a use after free
// of a frame is still caught. WEFT_FRAME_CACHE says which build this is.
#ifndef WEFT_RUNTIME_ALLOC_FRAME_CACHE_H_
#define WEFT_RUNTIME_ALLOC_FRAME_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "runtime/alloc/frame_pages.h"

namespace weft::internal {

#if defined(WEFT_PLAIN_FRAMES) || defined(__SANITIZE_ADDRESS__)
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
  static constexpr std::size_t kGranule = FramePages::kGranule;
  static constexpr unsigned kMaxClass = FramePages::kMaxClass;
  static constexpr unsigned kBatch = 16;
  static constexpr unsigned kPerClass = 2 * kBatch;

  static unsigned SizeClass(std::size_t bytes) {
    const std::size_t size_class = (bytes + kGranule - 1) / kGranule;
    return size_class <= kMaxClass ? static_cast<unsigned>(size_class) : 0;
  }

  // A block of at least `bytes`, whose size class is `size_class`.
  static void* Allocate(std::size_t bytes, unsigned size_class) {
    if (WEFT_FRAME_CACHE && size_class != 0) {
      Lists& lists = tls_lists;
      if (lists.head[size_class] != nullptr) [[likely]] {
        return Pop(lists, size_class);
      }
      return Refill(size_class);
    }
    return ::operator new(bytes);
  }

  // Gives back a block that Allocate returned for `size_class`.
  static void Free(void* block, unsigned size_class) noexcept {
    if (WEFT_FRAME_CACHE && size_class != 0) {
      Lists& lists = tls_lists;
      if (lists.count[size_class] < kPerClass && lists.state == kOpen)
          [[likely]] {
        Push(lists, block, size_class);
      } else {
        Overflow(block, size_class);
      }
      return;
    }
    ::operator delete(block);
  }

 private:
  struct Lists {
    void* head[kMaxClass + 1];  // linked through each block's first word
    uint8_t count[kMaxClass + 1];
    // kUnopened ──first Refill or Overflow──► kOpen ──thread exit──► kClosed
    // (opening registers the clean-up that closes it)
    uint8_t state;
  };
  enum : uint8_t { kUnopened = 0, kOpen = 1, kClosed = 2 };

  static void Push(Lists& lists, void* block, unsigned size_class) {
    *static_cast<void**>(block) = lists.head[size_class];
    lists.head[size_class] = block;
    ++lists.count[size_class];
  }
  // The list must not be empty.
  static void* Pop(Lists& lists, unsigned size_class) {
    void* block = lists.head[size_class];
    lists.head[size_class] = *static_cast<void**>(block);
    --lists.count[size_class];
    return block;
  }

  // The slow halves, out of line: the list is empty; the list is full or
  // the cache is not open.
  static void* Refill(unsigned size_class);
  static void Overflow(void* block, unsigned size_class) noexcept;

  // Opens the thread's cache; true if it is open now (false once the
  // thread's clean-up ran).
  static bool Open() noexcept;

  static inline thread_local constinit Lists tls_lists
      __attribute__((tls_model("initial-exec"))){};
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_ALLOC_FRAME_CACHE_H_
