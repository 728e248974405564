// TaskCell<T>: a spawned task's cell, typed by its output.
//
//   block:  [ TaskCell<T> .... | output byte | owner byte ][ root frame ]
//           ^ TaskHeader (task_header.h): state, links, resume point
//           (TaskCell adds no fields: every cell is kCellBytes long)
//
// Spawn() builds the cell in the room every Task<T> frame is allocated with
// (task.h, kCellBytes), so a spawned task costs one allocation. The frame is
// destroyed when the task finishes or is cancelled (destructors run then);
// the block is freed when the cell's last reference goes.
//
// The output lives where the frame was. A task has a frame or an output,
// never both: the frame is destroyed before the output is written, and
// every frame is allocated at least as large as a JoinResult<T>
// (kMinFrameBytes<T>, task.h). So the cell itself carries no output slot,
// only the "output byte" that says whether one is there.
//
// Output slot states (the output byte):
//
//     kNoOutput ──StoreOutput/StoreCancelled──► kHasOutput
//         ▲                                          │
//         └──────TakeOutput/ClearOutput/DropOutput───┘
//
//   Written on the runtime thread before kComplete is set; read, taken or
//   cleared only by whoever the join protocol (join_handle.h) makes its
//   owner after kComplete, so the byte needs no atomics of its own.
#ifndef WEFT_RUNTIME_TASK_TASK_CELL_H_
#define WEFT_RUNTIME_TASK_TASK_CELL_H_

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "runtime/task/join_error.h"
#include "runtime/task/remote_queue.h"
#include "runtime/task/task.h"
#include "runtime/task/task_header.h"

namespace weft::internal {

template <class T>
class TaskCell final : public TaskHeader {
 public:
  static_assert(sizeof(TaskHeader) == kCellBytes, "a cell is its header");

  // Builds the cell in front of `task`'s frame and takes the frame over.
  static TaskCell* Attach(RemoteQueue* remote, Task<T> task);

  // Runtime thread; only after the task completed and only once.
  JoinResult<T> TakeOutput() {
    JoinResult<T> out = std::move(*Output());
    ClearOutput();
    return out;
  }
  bool HasOutput() const { return output_byte == kHasOutput; }
  // The JoinHandle was dropped after completion. Any thread (join protocol).
  void ClearOutput() {
    if (!HasOutput()) return;
    Output()->~JoinResult<T>();
    output_byte = kNoOutput;
  }

 private:
  using Handle = typename Task<T>::Handle;
  enum : unsigned char { kNoOutput = 0, kHasOutput = 1 };

  TaskCell(RemoteQueue* remote, unsigned char size_class)
      : TaskHeader(remote, size_class) {}

  // The frame's bytes: the root frame while it lives, then the output.
  unsigned char* FrameBytes() const {
    return static_cast<unsigned char*>(Root().address());
  }
  JoinResult<T>* Output() const {
    return std::launder(reinterpret_cast<JoinResult<T>*>(FrameBytes()));
  }
  void EmplaceOutput(JoinResult<T>&& result) {
    new (FrameBytes()) JoinResult<T>(std::move(result));
    output_byte = kHasOutput;
  }

  void StoreOutput() override {
    auto& promise = Handle::from_address(Root().address()).promise();
    // Out of the frame first: the output takes the frame's place.
    JoinResult<T> result = [&]() -> JoinResult<T> {
      if (std::exception_ptr failure = promise.TakeException()) {
        return JoinError::Failed(std::move(failure));
      }
      if constexpr (std::is_void_v<T>) {
        return JoinResult<T>();
      } else {
        return promise.TakeResult();
      }
    }();
    // The root returned, so the chain is this one finished frame.
    frame_owner = kFrameGone;
    Root().destroy();
    EmplaceOutput(std::move(result));
  }

  void StoreCancelled() override {
    EmplaceOutput(JoinError::Cancelled());  // the frame is gone already
  }

  std::exception_ptr DropOutput() override {
    std::exception_ptr failure;
    if (HasOutput() && !Output()->ok()) failure = Output()->error().exception();
    ClearOutput();
    return failure;
  }

  void Dealloc() noexcept final {
    // The frame is gone (it was destroyed first: the owned-task list holds
    // a reference until then), so the whole block is ours to free.
    ClearOutput();
    const unsigned char block_class = size_class;
    this->~TaskCell();
    FrameCache::Free(this, block_class);
  }
};

template <class T>
TaskCell<T>* TaskCell<T>::Attach(RemoteQueue* remote, Task<T> task) {
  auto* frame =
      static_cast<unsigned char*>(std::move(task).Release().address());
  // The header's constructor sets the owner byte to kCellAttached (the
  // block is the cell's now) and keeps the size class AllocateFrame wrote.
  auto* cell = new (frame - kCellBytes) TaskCell(remote, frame[kRoomSizeClass]);
  if (kCheckTransitions && (&cell->frame_owner != reinterpret_cast<FrameOwner*>(
                                                      frame + kRoomOwner) ||
                            &cell->size_class != frame + kRoomSizeClass)) {
    std::fprintf(stderr, "weft: TaskHeader's room bytes are misplaced\n");
    std::abort();
  }
  return cell;
}

// Here, not in task_header.h: a cell's destructor needs the whole
// RemoteQueue, and cells are destroyed only through TaskCell.
inline TaskHeader::~TaskHeader() {
  // Invariant: the frame is destroyed (finish or cancel) before the cell is
  // freed, because the owned-task list holds a reference until then.
  if (FrameAlive()) [[unlikely]] {
    std::fprintf(stderr, "weft: task cell freed with a live frame\n");
    std::abort();
  }
  remote->ReleaseCell();
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_TASK_CELL_H_
