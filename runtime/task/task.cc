// The out-of-line parts of task.h: freeing a frame, destroying a suspended
// chain, and the reports of broken invariants.
#include "runtime/task/task.h"

#include <cstdio>
#include <cstdlib>

namespace weft::internal {

void FreeFrame(void* frame) noexcept {
  auto* bytes = static_cast<unsigned char*>(frame);
  // A cell in front owns the block and frees it later (TaskCell::Dealloc).
  if (bytes[kRoomOwner] != kFrameOnly) return;
  FrameCache::Free(bytes - kCellBytes, bytes[kRoomSizeClass]);
}

void DestroyChain(std::coroutine_handle<> innermost,
                  std::coroutine_handle<> outermost) noexcept {
  // A frame's destructors may destroy chains of their own (Timeout's inner
  // frames): each call restores the mark it found.
  const std::coroutine_handle<> outer_mark = tls_context.destroyed_child;
  std::coroutine_handle<> frame = innermost;
  std::coroutine_handle<> child;  // destroyed just before `frame`
  for (;;) {
    // Read before the frame goes: the next one up.
    const std::coroutine_handle<> parent = PromiseOf(frame).continuation();
    tls_context.destroyed_child = child;
    frame.destroy();
    if (frame == outermost || !parent) break;
    child = frame;
    frame = parent;
  }
  tls_context.destroyed_child = outer_mark;
}

void DestroyOwnedFrame(std::coroutine_handle<> frame) noexcept {
  if (frame == tls_context.destroyed_child) [[unlikely]] {
    tls_context.destroyed_child = {};  // one owner: match once
    return;
  }
  frame.destroy();
}

void PromiseMisplaced() noexcept {
  std::fprintf(stderr,
               "weft: this compiler lays coroutine frames out differently "
               "from what PromiseOf (task.h) assumes\n");
  std::abort();
}

void ExceptionNotTaken() noexcept {
  std::fprintf(stderr,
               "weft: a Task frame was destroyed holding the exception that "
               "escaped it; whoever finishes a frame must take it first\n");
  std::abort();
}

}  // namespace weft::internal
