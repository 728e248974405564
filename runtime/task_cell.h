// TaskCell<T>: a spawned task's cell, typed by its output.
//
//   block:  [ TaskCell<T> ........ | owner byte ][ root coroutine frame ]
//           ^ TaskHeader (task_header.h): state, links, resume point
//                        + the output slot a JoinHandle<T> reads
//
// Spawn() builds the cell in the room every Task<T> frame is allocated with
// (task.h, CellRoom), so a spawned task costs one allocation. The frame is
// destroyed when the task finishes or is cancelled (destructors run then);
// the block is freed when the cell's last reference goes.
#ifndef WEFT_RUNTIME_TASK_CELL_H_
#define WEFT_RUNTIME_TASK_CELL_H_

#include <cstddef>
#include <exception>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/join_error.h"
#include "runtime/task.h"
#include "runtime/task_header.h"

namespace weft::internal {

template <class T>
class TaskCell final : public TaskHeader {
 public:
  // Builds the cell in front of `task`'s frame and takes the frame over.
  static TaskCell* Attach(RemoteQueue* remote, Task<T> task);

  // Runtime thread; only after the task completed and only once.
  JoinResult<T> TakeOutput() {
    JoinResult<T> out = std::move(*output_);
    output_.reset();
    return out;
  }
  bool HasOutput() const { return output_.has_value(); }
  // The JoinHandle was dropped after completion. Any thread (join protocol).
  void ClearOutput() { output_.reset(); }

 private:
  using Handle = typename Task<T>::Handle;

  TaskCell(RemoteQueue* remote, Handle frame) : TaskHeader(remote) {
    root = frame;
  }

  void StoreOutput() override {
    auto& promise = Handle::from_address(root.address()).promise();
    if (promise.exception()) {
      output_.emplace(JoinError::Failed(promise.exception()));
    } else if constexpr (std::is_void_v<T>) {
      output_.emplace();
    } else {
      output_.emplace(promise.TakeResult());
    }
    DestroyFrame();
  }

  void StoreCancelled() override { output_.emplace(JoinError::Cancelled()); }

  std::exception_ptr DropOutput() override {
    std::exception_ptr failure;
    if (output_ && !output_->ok()) failure = output_->error().exception();
    output_.reset();
    return failure;
  }

  void Dealloc() final {
    // The frame is gone (it was destroyed first: the owned-task list holds
    // a reference until then), so the whole block is ours to free.
    this->~TaskCell();
    ::operator delete(static_cast<void*>(this));
  }

  std::optional<JoinResult<T>> output_;
};

// The room in front of every Task<T> frame: a TaskCell<T> and the owner
// byte, rounded up to keep the frame 16-byte aligned.
template <class T>
struct CellRoom {
  static constexpr std::size_t kBytes =
      (sizeof(TaskCell<T>) + 1 + alignof(std::max_align_t) - 1) /
      alignof(std::max_align_t) * alignof(std::max_align_t);
};

template <class T>
TaskCell<T>* TaskCell<T>::Attach(RemoteQueue* remote, Task<T> task) {
  Handle frame = std::move(task).Release();
  auto* frame_bytes = static_cast<unsigned char*>(frame.address());
  frame_bytes[-1] = kCellAttached;
  return new (frame_bytes - CellRoom<T>::kBytes) TaskCell(remote, frame);
}

inline void* TaskPromise<void>::operator new(std::size_t n) {
  return AllocateFrame(n, CellRoom<void>::kBytes);
}
inline void TaskPromise<void>::operator delete(void* frame) noexcept {
  FreeFrame(frame, CellRoom<void>::kBytes);
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_CELL_H_
