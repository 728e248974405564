#include "runtime/frame_cache.h"

namespace weft::internal {

bool FrameCache::Open() noexcept {
  Lists& lists = tls_lists;
  if (lists.state == kUnopened) {
    // Frees what the thread's cache holds when the thread exits (for the
    // main thread: before static destructors, whose frees then bypass it).
    struct Cleanup {
      ~Cleanup() {
        Lists& lists = tls_lists;
        lists.state = kClosed;
        for (void*& head : lists.head) {
          while (void* block = head) {
            head = *static_cast<void**>(block);
            ::operator delete(block);
          }
        }
      }
    };
    static thread_local Cleanup cleanup;  // registered on first pass
    (void)cleanup;
    lists.state = kOpen;
  }
  return lists.state == kOpen;
}

}  // namespace weft::internal
