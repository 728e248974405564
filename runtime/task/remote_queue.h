// RemoteQueue: how a waker on another thread reaches the runtime.
//
// A wake from a thread that is not the runtime's pushes the task onto a
// lock-free stack and, when the stack was empty, writes the runtime's
// eventfd so that a runtime parked in epoll_wait wakes up. The executor
// takes the whole stack once per loop turn (Drain) and reverses it, so
// remote wakes run in the order they were pushed.
//
// States of `head_` and their transitions:
//
//     empty (nullptr) ──Push──► non-empty ──Drain──► empty
//           │                        │
//           └────────Close───────────┴──────────────► closed (ClosedMark())
//
//   * Only the runtime thread takes from the stack (Drain, Close), and it
//     takes everything at once with an exchange: the pushers' CAS cannot
//     suffer ABA, since no single node is ever popped.
//   * The pusher whose CAS found the stack empty writes the eventfd. Every
//     other pusher found it non-empty: a write is already owed for that
//     batch, and Drain takes their tasks along.
//   * closed is final: a push then drops the task's queue reference instead
//     of queuing it.
//
// Beside the wakes, a second stack of the same kind, `spawned_`, carries
// tasks spawned from other threads (Runtime::Handle): cells built on the
// spawning thread, not yet bound to the runtime (not owned, not counted).
// The runtime binds them when it drains the stack (Executor::Drive), as
// Spawn binds a local task; a spawn that finds the stack closed cancels its
// task right there, so its JoinHandle reports cancelled.
//
// Lifetime: a Waker that outlives its runtime must still find this object,
// so it lives as long as the runtime or any task cell. The count is biased
// toward the runtime thread, which creates and frees nearly every cell:
//
//   * While the runtime lives, it holds kRuntimeRefs references (far more
//     than any number of threads can drop), and its cells are counted in
//     `local_cells_`, a plain integer: Bind adds one, and a cell freed on
//     the runtime's thread takes one off. A cell freed on another thread
//     drops a real reference instead, which the bias absorbs.
//   * When the runtime goes (ReleaseRuntime), it folds the two together:
//     refs_ += local_cells_ - kRuntimeRefs. What is left is exactly the
//     cells still alive (plus pushers in flight); from then on every cell
//     freed, on any thread, drops a real reference, and the last one
//     deletes the queue.
//
// So spawning and freeing a task costs no atomic operation on the queue.
// A pusher holds a reference for the length of its push, because once its
// CAS has published the task, the runtime may run it and free its cell
// (and with it the cell's count) before the eventfd write. The eventfd the
// queue writes is its own duplicate of the reactor's, closed with the
// queue, so that late write always goes to the same (perhaps no longer
// polled) eventfd, never to an fd number reused by someone else.
#ifndef WEFT_RUNTIME_TASK_REMOTE_QUEUE_H_
#define WEFT_RUNTIME_TASK_REMOTE_QUEUE_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "runtime/task/context.h"
#include "runtime/task/run_queue.h"
#include "runtime/task/task_header.h"

namespace weft::internal {

class RemoteQueue {
 public:
  // Writes 1 to an eventfd: the reactor's (Reactor::Signal), handed in so
  // that the syscall seam stays in io/, below which nothing calls write.
  using Signal = void (*)(int event_fd) noexcept;

  // Duplicates `event_fd` (the reactor's eventfd) for its own writes, made
  // with `signal`; aborts with a message if it cannot.
  RemoteQueue(int event_fd, Signal signal);

  void RefInc() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Release() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  // A cell of this runtime was created (Executor::Bind). Runtime thread.
  void AddCell() { ++local_cells_; }
  // A cell of this runtime was freed. Any thread. This queue is the
  // thread's current one exactly on the runtime's thread while its
  // executor is installed, which ends before ReleaseRuntime.
  void ReleaseCell() {
    if (tls_context.remote == this) {
      --local_cells_;
    } else {
      Release();
    }
  }
  // The runtime is going away: its references go, its cells' count stays.
  // Runtime thread, once, after its last local cell operation.
  void ReleaseRuntime();

  // Queues `task`, which carries a queue reference. Any thread.
  void Push(TaskHeader* task) noexcept;
  // Moves everything queued onto `out`, in push order. Runtime thread.
  void Drain(RunQueue& out);
  // Refuses further pushes and returns what was queued. Runtime thread.
  void Close(RunQueue& out);

  // Hands `task`, a new cell built on this thread (TaskState's three
  // references; not counted here yet), to the runtime. If the runtime has
  // shut down, cancels it instead. Any thread; the caller keeps this queue
  // alive (a Runtime::Handle holds a reference) and the cell too (its
  // JoinHandle's reference is the caller's until it returns).
  void PushSpawned(TaskHeader* task) noexcept;
  // Whether tasks wait to be bound: one relaxed load, so the loop asks
  // every turn at the cost of a compare. Runtime thread.
  bool HasSpawned() const {
    const TaskHeader* top = spawned_.load(std::memory_order_relaxed);
    return top != nullptr && top != ClosedMark();
  }
  // Moves the spawned tasks onto `out` in push order (uncounted, unbound:
  // the caller binds them). Runtime thread.
  void DrainSpawned(RunQueue& out);
  // Refuses further spawns and returns those queued. Runtime thread.
  void CloseSpawned(RunQueue& out);
  // Cancels a spawned task that was never bound (the runtime shut down
  // first): counts its cell, as ReleaseCell will uncount it on this
  // thread, and completes it as cancelled, dropping every reference but
  // its JoinHandle's. Any thread.
  void CancelUnbound(TaskHeader* task) noexcept;

 private:
  ~RemoteQueue();

  // Not a task: the value of a closed stack. Address 1 is never a task's.
  static TaskHeader* ClosedMark() {
    return reinterpret_cast<TaskHeader*>(uintptr_t{1});
  }
  // Appends the stack `top` (most recent first) to `out`, oldest first.
  static void AppendReversed(TaskHeader* top, RunQueue& out);
  // Pushes `task` on `stack`, writing the eventfd if it was empty. False,
  // pushing nothing, if the stack is closed. (Both inlined where used.)
  [[gnu::always_inline]] inline bool PushOn(std::atomic<TaskHeader*>& stack,
                                            TaskHeader* task) noexcept;
  [[gnu::always_inline]] inline void DrainFrom(std::atomic<TaskHeader*>& stack,
                                               RunQueue& out);

  static constexpr int64_t kRuntimeRefs = int64_t{1} << 40;

  const int event_fd_;
  const Signal signal_;
  std::atomic<int64_t> refs_{kRuntimeRefs};
  int64_t local_cells_ = 0;                    // only on the runtime's thread
  std::atomic<TaskHeader*> head_{nullptr};     // linked by queue_next
  std::atomic<TaskHeader*> spawned_{nullptr};  // the same, new tasks
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_REMOTE_QUEUE_H_
