// TaskHeader: the part of a spawned task that the scheduler sees.
//
// Spawn() builds one TaskCell<T> (task_cell.h) per task, in front of the
// root Task<T>'s coroutine frame, in the same allocation; its TaskHeader
// base is what run queues, wakers, the owned-task list and join handles
// point at.
//
// Who touches which field:
//   state          any thread, atomically (task_state.h).
//   queue_next     whoever holds the queue reference: the run queue on the
//                  runtime thread, or the pusher of the remote queue until
//                  its CAS publishes the task (remote_queue.h).
//   owned_prev/next, root, resume_point, ready_check, join_waker, output:
//                  the runtime thread only.
//   remote         set at spawn, read-only after; keeps the runtime's remote
//                  queue alive for wakers that outlive the runtime.
#ifndef WEFT_RUNTIME_TASK_HEADER_H_
#define WEFT_RUNTIME_TASK_HEADER_H_

#include <coroutine>
#include <exception>

#include "runtime/task_state.h"
#include "runtime/waker.h"

namespace weft::internal {

class RemoteQueue;

// The ready_check of a task that yielded (YieldTo, park.h). Not a check the
// executor calls: it recognises the address and requeues the task as it is
// (Executor::RunTask). Returns true, should anything call it.
bool Yielded(const void*);

class TaskHeader {
 public:
  explicit TaskHeader(RemoteQueue* remote);
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

  // Destroys the root frame and, through it, every frame it awaits. Leaf
  // awaitables deregister their wakers in their destructors.
  void DestroyFrame() {
    if (root) {
      std::coroutine_handle<> frame = root;
      root = {};
      frame.destroy();
    }
  }

  // Drops one reference; frees the cell on the last one.
  void Release() {
    if (state.RefDec()) Dealloc();
  }

  TaskState state;
  TaskHeader* queue_next = nullptr;
  TaskHeader* owned_prev = nullptr;
  TaskHeader* owned_next = nullptr;
  std::coroutine_handle<> root;
  // The innermost suspended coroutine: where the executor resumes the task.
  // The leaf awaitable that parks the task sets it (SetResumePoint below).
  std::coroutine_handle<> resume_point;
  // Optional: asked before resuming a parked task; false means the wake was
  // spurious (the leaf's event has not happened) and the task stays parked.
  // Lets a leaf that cannot retry by itself (JoinHandle) ignore stray wakes.
  bool (*ready_check)(const void* arg) = nullptr;
  const void* ready_arg = nullptr;
  RemoteQueue* const remote;
  // The task awaiting this one's JoinHandle, if any.
  Waker join_waker;

  // Destroys the cell and frees its memory (the frame is already gone).
  // Only for whoever dropped the last reference.
  virtual void Dealloc() = 0;

 protected:
  ~TaskHeader();
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_HEADER_H_
