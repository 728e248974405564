#include "runtime/task/remote_queue.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/task/task_cell.h"
#include "runtime/task/task_header.h"

namespace weft::internal {

RemoteQueue::RemoteQueue(int event_fd, Signal signal)
    : event_fd_(fcntl(event_fd, F_DUPFD_CLOEXEC, 0)), signal_(signal) {
  if (event_fd_ < 0) {
    std::fprintf(stderr, "weft: cannot create the runtime: dup(eventfd): %s\n",
                 std::strerror(errno));
    std::abort();
  }
}

RemoteQueue::~RemoteQueue() { close(event_fd_); }

void RemoteQueue::ReleaseRuntime() {
  // The executor is no longer installed on this thread (~Executor), so
  // from here on a cell freed here, too, drops a real reference.
  const int64_t delta = local_cells_ - kRuntimeRefs;
  if (refs_.fetch_add(delta, std::memory_order_acq_rel) + delta == 0) {
    delete this;
  }
}

inline bool RemoteQueue::PushOn(std::atomic<TaskHeader*>& stack,
                                TaskHeader* task) noexcept {
  TaskHeader* head = stack.load(std::memory_order_relaxed);
  do {
    if (head == ClosedMark()) return false;
    task->queue_next = head;
  } while (!stack.compare_exchange_weak(head, task, std::memory_order_release,
                                        std::memory_order_relaxed));
  if (head == nullptr) signal_(event_fd_);
  return true;
}

inline void RemoteQueue::DrainFrom(std::atomic<TaskHeader*>& stack,
                                   RunQueue& out) {
  // A plain load first: most loop turns find nothing pushed.
  const TaskHeader* head = stack.load(std::memory_order_relaxed);
  if (head == nullptr || head == ClosedMark()) return;
  AppendReversed(stack.exchange(nullptr, std::memory_order_acquire), out);
}

void RemoteQueue::Push(TaskHeader* task) noexcept {
  RefInc();  // see "Lifetime" in the header
  if (!PushOn(head_, task)) {
    // The runtime is gone: the task will never run again; drop the
    // reference the wake took for the queue.
    task->Release();
  }
  Release();
}

void RemoteQueue::PushSpawned(TaskHeader* task) noexcept {
  // Unlike Push, no reference of its own: the caller's Handle keeps this
  // queue alive, and the cell, which holds the caller's JoinHandle
  // reference, cannot be freed under the eventfd write.
  if (!PushOn(spawned_, task)) CancelUnbound(task);  // shut down
}

void RemoteQueue::CancelUnbound(TaskHeader* task) noexcept {
  if (tls_context.remote == this) {
    AddCell();
  } else {
    RefInc();
  }
  task->DestroyFrame();
  task->StoreCancelled();
  (void)task->state.TransitionToComplete();
  // The queue's reference (kNotified's) and the owned tasks' one; the
  // JoinHandle's stays, and finds the task complete and cancelled.
  if (task->state.RefDec(2)) task->Dealloc();
}

void RemoteQueue::Drain(RunQueue& out) { DrainFrom(head_, out); }

void RemoteQueue::DrainSpawned(RunQueue& out) { DrainFrom(spawned_, out); }

void RemoteQueue::Close(RunQueue& out) {
  TaskHeader* top = head_.exchange(ClosedMark(), std::memory_order_acquire);
  if (top != ClosedMark()) AppendReversed(top, out);
}

void RemoteQueue::CloseSpawned(RunQueue& out) {
  TaskHeader* top = spawned_.exchange(ClosedMark(), std::memory_order_acquire);
  if (top != ClosedMark()) AppendReversed(top, out);
}

void RemoteQueue::AppendReversed(TaskHeader* top, RunQueue& out) {
  TaskHeader* oldest_first = nullptr;
  while (top != nullptr) {
    TaskHeader* below = top->queue_next;
    top->queue_next = oldest_first;
    oldest_first = top;
    top = below;
  }
  while (oldest_first != nullptr) {
    TaskHeader* next = oldest_first->queue_next;
    out.Push(oldest_first);
    oldest_first = next;
  }
}

}  // namespace weft::internal
