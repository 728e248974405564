#include "runtime/remote_queue.h"

#include <sys/eventfd.h>

#include <cerrno>

#include "runtime/sys.h"

namespace weft::internal {

void RemoteQueue::Push(TaskHeader* task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_) {
      const bool was_empty = queue_.empty();
      queue_.Push(task);
      maybe_nonempty_.store(true, std::memory_order_release);
      // Only the first push after a drain needs to wake the runtime: later
      // ones are picked up by the same Drain. Written under the lock because
      // the runtime closes the eventfd only after Close(), so it is open here.
      // EINTR is retried; the only other failure, EAGAIN, means the counter
      // is saturated, so the fd is readable already and the wake arrives.
      if (was_empty) {
        while (sys::EventfdWrite(event_fd_, 1) != 0 && errno == EINTR) {
        }
      }
      return;
    }
  }
  // The runtime is gone: the task will never run again; drop the reference
  // the wake took for the queue. Outside the lock: it may free the cell,
  // which releases this queue.
  task->Release();
}

void RemoteQueue::Drain(RunQueue& out) {
  if (!maybe_nonempty_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(mu_);
  maybe_nonempty_.store(false, std::memory_order_relaxed);
  out.Append(queue_);
}

void RemoteQueue::Close(RunQueue& out) {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  out.Append(queue_);
}

}  // namespace weft::internal
