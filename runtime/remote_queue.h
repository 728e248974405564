// RemoteQueue: how a waker on another thread reaches the runtime.
//
// A wake from a thread that is not the runtime's pushes the task here under a
// mutex and, when the queue was empty, writes the runtime's eventfd so that a
// runtime parked in epoll_wait wakes up. The executor moves the whole list to
// its run queue once per loop turn (Drain).
//
// Lifetime: the runtime and every task cell hold a reference, so a Waker that
// outlives its runtime still finds this object. Close() (runtime shutdown)
// marks it closed; a push after that drops the task's queue reference
// instead of queuing it.
#ifndef WEFT_RUNTIME_REMOTE_QUEUE_H_
#define WEFT_RUNTIME_REMOTE_QUEUE_H_

#include <atomic>
#include <mutex>

#include "runtime/run_queue.h"

namespace weft::internal {

class RemoteQueue {
 public:
  // `event_fd` is the reactor's eventfd; written to wake the runtime.
  explicit RemoteQueue(int event_fd) : event_fd_(event_fd) {}

  void RefInc() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Release() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Queues `task`, which carries a queue reference. Any thread.
  void Push(TaskHeader* task);
  // Moves everything queued onto `out`. Runtime thread.
  void Drain(RunQueue& out);
  // Refuses further pushes and returns what was queued. Runtime thread.
  void Close(RunQueue& out);

 private:
  ~RemoteQueue() = default;

  std::atomic<int> refs_{1};
  const int event_fd_;
  std::mutex mu_;
  RunQueue queue_;       // guarded by mu_
  bool closed_ = false;  // guarded by mu_
  // Lets Drain skip the mutex when nothing was pushed (the common case).
  std::atomic<bool> maybe_nonempty_{false};
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_REMOTE_QUEUE_H_
