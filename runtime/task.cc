// The out-of-line parts of task.h: freeing a frame, and the report of an
// exception nobody took.
#include "runtime/task.h"

#include <cstdio>
#include <cstdlib>

namespace weft::internal {

void FreeFrame(void* frame) noexcept {
  auto* bytes = static_cast<unsigned char*>(frame);
  // A cell in front owns the block and frees it later (TaskCell::Dealloc).
  if (bytes[kRoomOwner] != kFrameOnly) return;
  FrameCache::Free(bytes - kCellBytes, bytes[kRoomSizeClass]);
}

void ExceptionNotTaken() noexcept {
  std::fprintf(stderr,
               "weft: a Task frame was destroyed holding the exception that "
               "escaped it; whoever finishes a frame must take it first\n");
  std::abort();
}

}  // namespace weft::internal
