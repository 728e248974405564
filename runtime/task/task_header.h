// TaskHeader: the part of a spawned task that the scheduler sees.
//
// Spawn() builds one TaskCell<T> (task_cell.h) per task, in front of the
// root Task<T>'s coroutine frame, in the same allocation; its TaskHeader
// base is what run queues, wakers, the owned-task list and join handles
// point at.
//
//   block:  [ TaskHeader ...... size class | - | output | owner ][ frame ]
//            64 bytes          frame[-4]            frame[-1]
//
// The header is exactly kCellBytes long, so the root frame is always at
// `this + kCellBytes` (Root()) and needs no pointer of its own. Its size
// class and owner bytes are bytes that every Task frame's room carries,
// spawned or not (RoomByte below).
//
// Who touches which field:
//   state          any thread, atomically (task_state.h).
//   queue_next     whoever holds the queue reference: the run queue on the
//                  runtime thread, or the pusher of the remote queue until
//                  its CAS publishes the task (remote_queue.h).
//   owned_index, park,
//   frame_owner:   the runtime thread only.
//   join_waker     the awaiting JoinHandle's thread, then the runtime
//                  thread, handed over through kJoinWaker (join_handle.h,
//                  rules 3-5).
//   output_byte    the runtime thread until kComplete; then the thread
//                  that drops or awaits the JoinHandle (task_cell.h,
//                  join_handle.h rules 1-2).
//   size_class     set at spawn, read-only after.
//   remote         set at spawn, read-only after; keeps the runtime's remote
//                  queue alive for wakers that outlive the runtime.
#ifndef WEFT_RUNTIME_TASK_TASK_HEADER_H_
#define WEFT_RUNTIME_TASK_TASK_HEADER_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>

#include "runtime/task/task_state.h"
#include "runtime/task/waker.h"

namespace weft::internal {

class RemoteQueue;

// Who frees a Task frame's block: the last byte in front of every frame
// (AllocateFrame in task.h writes it; for a spawned task it is
// TaskHeader::frame_owner).
//
//   kFrameOnly ──Attach──► kCellAttached ──DestroyFrame──► kFrameGone
//
//   kFrameOnly     nobody built a cell: destroying the frame frees it.
//   kCellAttached  a cell lives in front and the frame is alive: destroying
//                  the frame leaves the memory to the cell, which frees it
//                  when its last reference goes.
//   kFrameGone     a cell lives in front and the frame is destroyed (or
//                  being destroyed): its bytes may hold the task's output.
enum FrameOwner : unsigned char {
  kFrameOnly = 0,
  kCellAttached = 1,
  kFrameGone = 2,
};

// The bytes of the room every Task frame has in front of it (task.h) that
// mean something even when no cell was built there, as offsets from the
// frame: the owner byte, and the block's size class (FrameCache). In a
// cell they are TaskHeader::frame_owner and TaskHeader::size_class.
enum RoomByte : int { kRoomOwner = -1, kRoomSizeClass = -4 };

// A parked leaf's answer to "has my event happened?". A leaf that cannot
// retry by itself (a JoinHandle, a Notify waiter) embeds one and points
// the task's park.ready_check at it; the executor asks it before resuming the
// task and leaves the task parked on a false answer, so a stray wake is
// harmless. `ready` gets the ReadyCheck back and finds its leaf from it
// (the leaf derives from ReadyCheck).
struct ReadyCheck {
  bool (*ready)(const ReadyCheck* self) = nullptr;
};

// The park.ready_check of a task that yielded (ParkedTask::Yield, leaf.h): a
// mark, not a check anybody calls; the executor recognises it and requeues
// the task as it is (Executor::RunTask). Address 1 is never an object's
// (docs/design-decisions.md, "Marks at address 1").
inline const ReadyCheck* YieldMark() {
  return reinterpret_cast<const ReadyCheck*>(uintptr_t{1});
}

// Where a parked await chain resumes, and what to ask first. A task has
// one, in its header; a Select or Join runs several chains in one task and
// keeps one per branch (Branch, branches.h), which it fills from the
// header's after each step.
struct ParkSite {
  // The innermost suspended coroutine of the chain.
  std::coroutine_handle<> resume_point;
  // Optional: asked before resuming (ReadyCheck above), or YieldMark() for
  // a chain that yielded.
  const ReadyCheck* ready_check = nullptr;
};

class TaskHeader {
 public:
  // `size_class` is the block's (FrameCache), which AllocateFrame left in
  // the room.
  TaskHeader(RemoteQueue* remote, unsigned char size_class)
      : remote(remote), size_class(size_class), frame_owner(kCellAttached) {}
  TaskHeader(const TaskHeader&) = delete;
  TaskHeader& operator=(const TaskHeader&) = delete;

  // The root coroutine returned (value or exception): move its result into
  // the output slot and destroy the frame.
  virtual void StoreOutput() = 0;
  // The frame was destroyed before it finished: the output is "cancelled".
  virtual void StoreCancelled() = 0;
  // Nobody will join: destroy the output. Returns the exception if the task
  // failed, so the runtime can report it.
  virtual std::exception_ptr DropOutput() = 0;
  // Destroys the cell and frees its memory (the frame is already gone).
  // Only for whoever dropped the last reference.
  virtual void Dealloc() noexcept = 0;

  // The root coroutine's frame, which starts where the header ends. Only
  // while FrameAlive().
  std::coroutine_handle<> Root() const;
  bool FrameAlive() const { return frame_owner == kCellAttached; }

  // Destroys the root frame and every frame it awaits, innermost first
  // (DestroyChain, task.h): from the resume point, where the task is
  // parked, up to the root; a task that finished or never ran is its root
  // alone. Leaf awaitables deregister their wakers in their destructors.
  // The owner byte changes first, so the frame's operator delete leaves the
  // block to the cell, and a second call (from a destructor the first one
  // ran) does nothing.
  inline void DestroyFrame();

  // Drops one reference; frees the cell on the last one.
  void Release() noexcept {
    if (state.RefDec()) Dealloc();
  }

  // Declaration order is layout order (all public): the last bytes must be
  // the room bytes (RoomByte) at their offsets; TaskCell::Attach checks.
  TaskState state;
  TaskHeader* queue_next = nullptr;
  // Where the executor resumes the task: Bind() sets the root frame; a
  // leaf that parks the task sets it again (ParkedTask in leaf.h).
  ParkSite park;
  RemoteQueue* const remote;
  // The task awaiting this one's JoinHandle, if any.
  Waker join_waker;
  // Where the executor's owned-task list keeps this task (Executor::Bind).
  uint32_t owned_index = 0;
  // The block's FrameCache size class: frame[kRoomSizeClass], as for every
  // Task frame.
  const unsigned char size_class;
  unsigned char unused_ = 0;
  // Whether the frame's bytes hold an output (TaskCell<T>).
  unsigned char output_byte = 0;
  FrameOwner frame_owner;

 protected:
  // Gives back the cell's count in its remote queue (remote_queue.h).
  ~TaskHeader();
};

// The room in front of every Task frame: a whole header, and a multiple of
// the malloc alignment so that the frame behind it is aligned like any
// allocation.
inline constexpr std::size_t kCellBytes = sizeof(TaskHeader);
static_assert(kCellBytes % alignof(std::max_align_t) == 0,
              "TaskHeader must end right in front of an aligned frame: "
              "adjust unused_");
static_assert(kCellBytes == 64, "the header's size is part of its design");

inline std::coroutine_handle<> TaskHeader::Root() const {
  return std::coroutine_handle<>::from_address(
      reinterpret_cast<unsigned char*>(const_cast<TaskHeader*>(this)) +
      kCellBytes);
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_TASK_HEADER_H_
