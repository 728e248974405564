#include "runtime/alloc/frame_cache.h"

namespace weft::internal {

bool FrameCache::Open() noexcept {
  Lists& lists = tls_lists;
  if (lists.state == kUnopened) {
    // Gives back what the thread's cache holds when the thread exits (for
    // the main thread: before static destructors, whose frees then go to
    // the pages directly).
    struct Cleanup {
      ~Cleanup() {
        Lists& lists = tls_lists;
        lists.state = kClosed;
        for (unsigned size_class = 1; size_class <= kMaxClass; ++size_class) {
          FramePages::Give(lists.head[size_class]);
          lists.head[size_class] = nullptr;
          lists.count[size_class] = 0;
        }
      }
    };
    static thread_local Cleanup cleanup;  // registered on first pass
    (void)cleanup;
    lists.state = kOpen;
  }
  return lists.state == kOpen;
}

void* FrameCache::Refill(unsigned size_class) {
  if (!Open()) {  // the thread is exiting: no cache to fill
    void* block = nullptr;
    FramePages::Take(size_class, &block, 1);
    return block;
  }
  Lists& lists = tls_lists;
  lists.count[size_class] = static_cast<uint8_t>(
      FramePages::Take(size_class, &lists.head[size_class], kBatch));
  return Pop(lists, size_class);
}

void FrameCache::Overflow(void* block, unsigned size_class) noexcept {
  Lists& lists = tls_lists;
  if (!Open()) {
    *static_cast<void**>(block) = nullptr;
    FramePages::Give(block);
    return;
  }
  if (lists.count[size_class] >= kPerClass) {
    // Give back the kBatch on top; the rest stay.
    void* given = lists.head[size_class];
    void* last = given;
    for (unsigned i = 1; i < kBatch; ++i) last = *static_cast<void**>(last);
    lists.head[size_class] = *static_cast<void**>(last);
    *static_cast<void**>(last) = nullptr;
    lists.count[size_class] -= kBatch;
    FramePages::Give(given);
  }
  Push(lists, block, size_class);
}

}  // namespace weft::internal
