// Allocation of Task frames with room for a cell in front (task.h).
#include <new>

#include "runtime/task.h"

namespace weft::internal {

void* AllocateFrame(std::size_t frame_bytes, std::size_t room) {
  auto* block = static_cast<unsigned char*>(::operator new(room + frame_bytes));
  unsigned char* frame = block + room;
  frame[-1] = kFrameOnly;
  return frame;
}

void FreeFrame(void* frame, std::size_t room) noexcept {
  auto* bytes = static_cast<unsigned char*>(frame);
  // A cell in front owns the block and frees it later (TaskCell::Dealloc).
  if (bytes[-1] != kFrameOnly) return;
  ::operator delete(static_cast<void*>(bytes - room));
}

}  // namespace weft::internal
