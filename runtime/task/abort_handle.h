// AbortHandle: cancel a spawned task from anywhere (tokio's AbortHandle).
//
//   JoinHandle<void> handle = Spawn(DoWork());
//   AbortHandle stop = handle.GetAbortHandle();
//   std::thread([stop] { stop.Abort(); }).detach();  // from any thread
//
// Copyable, and safe to use, copy and destroy on any thread. It keeps the
// task's cell alive (one reference), not the task: it does not join, and
// it still works after the JoinHandle was dropped or moved into another
// task. Abort() on a finished task does nothing. An empty AbortHandle
// (default-constructed, moved from, or taken from an empty JoinHandle)
// does nothing and reports IsFinished().
#ifndef WEFT_RUNTIME_TASK_ABORT_HANDLE_H_
#define WEFT_RUNTIME_TASK_ABORT_HANDLE_H_

#include <utility>

#include "runtime/task/task_header.h"

namespace weft {

namespace internal {
// Sets kCancelled and, if the task was idle, queues it (from any thread)
// so that the executor sees the flag and destroys its frame.
void AbortTask(TaskHeader* task) noexcept;
}  // namespace internal

class AbortHandle {
 public:
  AbortHandle() = default;
  // Takes a new reference to `task` (none if null).
  explicit AbortHandle(internal::TaskHeader* task) : task_(task) {
    if (task_ != nullptr) task_->state.RefInc();
  }
  AbortHandle(const AbortHandle& other) : AbortHandle(other.task_) {}
  AbortHandle& operator=(const AbortHandle& other) {
    if (this != &other) *this = AbortHandle(other);
    return *this;
  }
  AbortHandle(AbortHandle&& other) noexcept
      : task_(std::exchange(other.task_, nullptr)) {}
  AbortHandle& operator=(AbortHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      task_ = std::exchange(other.task_, nullptr);
    }
    return *this;
  }
  ~AbortHandle() { Reset(); }

  bool valid() const { return task_ != nullptr; }
  void Abort() const {
    if (task_ != nullptr) internal::AbortTask(task_);
  }
  bool IsFinished() const {
    return task_ == nullptr || task_->state.IsComplete();
  }

 private:
  void Reset() {
    if (task_ != nullptr) std::exchange(task_, nullptr)->Release();
  }
  internal::TaskHeader* task_ = nullptr;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_ABORT_HANDLE_H_
