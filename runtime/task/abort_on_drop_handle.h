// AbortOnDropHandle<T>: a JoinHandle that aborts its task when dropped
// (tokio-util's task::AbortOnDropHandle), for a task that must not outlive
// the scope that spawned it: a helper task of one request, a watchdog.
//
//   weft::AbortOnDropHandle<void> heartbeat(weft::Spawn(Heartbeat()));
//   co_await Serve(std::move(stream));  // the heartbeat runs alongside
//   co_return;                          // leaving the scope aborts it
//
// co_await yields the JoinResult<T>, as a JoinHandle's does. Detach()
// gives the JoinHandle back, and the task is no longer aborted on drop.
// Everything else is as JoinHandle (join_handle.h): move-only, and an empty
// one (default-constructed, moved from, detached) refers to no task.
#ifndef WEFT_RUNTIME_TASK_ABORT_ON_DROP_HANDLE_H_
#define WEFT_RUNTIME_TASK_ABORT_ON_DROP_HANDLE_H_

#include <utility>

#include "runtime/task/abort_handle.h"
#include "runtime/task/join_handle.h"

namespace weft {

template <class T>
class [[nodiscard]] AbortOnDropHandle {
 public:
  AbortOnDropHandle() = default;
  explicit AbortOnDropHandle(JoinHandle<T> handle)
      : handle_(std::move(handle)) {}
  AbortOnDropHandle(AbortOnDropHandle&&) noexcept = default;
  AbortOnDropHandle& operator=(AbortOnDropHandle&& other) noexcept {
    if (this != &other) {
      handle_.Abort();
      handle_ = std::move(other.handle_);
    }
    return *this;
  }
  ~AbortOnDropHandle() { handle_.Abort(); }

  bool valid() const { return handle_.valid(); }
  bool IsFinished() const { return handle_.IsFinished(); }
  void Abort() { handle_.Abort(); }
  weft::AbortHandle GetAbortHandle() const { return handle_.GetAbortHandle(); }

  // The handle, which no longer aborts the task when dropped.
  JoinHandle<T> Detach() { return std::move(handle_); }

  auto operator co_await() & { return handle_.operator co_await(); }
  auto operator co_await() && { return handle_.operator co_await(); }

 private:
  JoinHandle<T> handle_;
};

template <class T>
AbortOnDropHandle(JoinHandle<T>) -> AbortOnDropHandle<T>;

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_ABORT_ON_DROP_HANDLE_H_
