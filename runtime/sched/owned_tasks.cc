#include "runtime/sched/owned_tasks.h"

#include <cstdlib>
#include <limits>
#include <new>

namespace weft::internal {

OwnedTasks::~OwnedTasks() { std::free(slots_); }

void OwnedTasks::Grow() {
  // Indexes are 32-bit: 4 billion live tasks would need 256 GB of cells
  // first.
  if (capacity_ > std::numeric_limits<uint32_t>::max() / 2) {
    throw std::bad_alloc();
  }
  const uint32_t capacity = capacity_ == 0 ? 64 : capacity_ * 2;
  void* grown = std::realloc(slots_, capacity * sizeof(TaskHeader*));
  if (grown == nullptr) throw std::bad_alloc();
  slots_ = static_cast<TaskHeader**>(grown);
  capacity_ = capacity;
}

}  // namespace weft::internal
