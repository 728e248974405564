// The out-of-line half of Task frame allocation (task.h).
#include "runtime/task.h"

namespace weft::internal {

void FreeFrame(void* frame) noexcept {
  auto* bytes = static_cast<unsigned char*>(frame);
  // A cell in front owns the block and frees it later (TaskCell::Dealloc).
  if (bytes[kRoomOwner] != kFrameOnly) return;
  FrameCache::Free(bytes - kCellBytes, bytes[kRoomSizeClass]);
}

}  // namespace weft::internal
