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
//           └────────Close───────────┴──────────────► closed (kClosed)
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
// Lifetime: the runtime and every task cell hold a reference, so a Waker
// that outlives its runtime still finds this object. A pusher also holds
// one for the length of its push, because once its CAS has published the
// task, the runtime may run it and free its cell (and with it the cell's
// reference) before the eventfd write. The eventfd the queue writes is its
// own duplicate of the reactor's, closed with the queue, so that late write
// always goes to the same (perhaps no longer polled) eventfd, never to an
// fd number reused by someone else.
#ifndef WEFT_RUNTIME_REMOTE_QUEUE_H_
#define WEFT_RUNTIME_REMOTE_QUEUE_H_

#include <atomic>
#include <cstdint>

#include "runtime/run_queue.h"

namespace weft::internal {

class RemoteQueue {
 public:
  // Duplicates `event_fd` (the reactor's eventfd) for its own writes;
  // aborts with a message if it cannot.
  explicit RemoteQueue(int event_fd);

  void RefInc() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Release() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Queues `task`, which carries a queue reference. Any thread.
  void Push(TaskHeader* task);
  // Moves everything queued onto `out`, in push order. Runtime thread.
  void Drain(RunQueue& out);
  // Refuses further pushes and returns what was queued. Runtime thread.
  void Close(RunQueue& out);

 private:
  ~RemoteQueue();

  // Not a task: marks the queue closed.
  static TaskHeader* Closed() {
    return reinterpret_cast<TaskHeader*>(uintptr_t{1});
  }
  // Appends the stack `top` (most recent first) to `out`, oldest first.
  static void AppendReversed(TaskHeader* top, RunQueue& out);

  std::atomic<int> refs_{1};
  const int event_fd_;
  std::atomic<TaskHeader*> head_{nullptr};  // linked by queue_next
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_REMOTE_QUEUE_H_
