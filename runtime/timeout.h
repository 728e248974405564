// Timeout(d, task): run `task`, but give up after `d`.
//
//   absl::StatusOr<Reply> r = co_await Timeout(2s, Fetch(request));
//
// If `task` finishes first, its result is returned (a Task<absl::Status> or
// Task<absl::StatusOr<U>> result as it is; any other T wrapped in
// absl::StatusOr<T>; an exception is rethrown). If the deadline comes
// first, `task` is cancelled: its frame, and every frame it awaits, is
// destroyed before Timeout returns DeadlineExceeded, so its destructors have
// run and it left nothing registered.
//
// How, without a second task: the inner task runs inside the caller's task
// (like any awaited child), and a timer is armed beside it. When the timer
// fires while the inner task is parked, it redirects the caller's task:
// the resume point becomes Timeout's own frame instead of the inner leaf
// (DeadlineScope::OnFire). Timeout then destroys the inner frames, whose
// leaf awaiters deregister themselves on the way out.
#ifndef WEFT_RUNTIME_TIMEOUT_H_
#define WEFT_RUNTIME_TIMEOUT_H_

#include <chrono>
#include <coroutine>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/context.h"
#include "runtime/executor.h"
#include "runtime/park.h"
#include "runtime/sleep.h"
#include "runtime/task.h"
#include "runtime/timer_entry.h"

namespace weft {
namespace internal {

template <class T>
struct TimeoutResultOf {
  using type = absl::StatusOr<T>;
};
template <>
struct TimeoutResultOf<void> {
  using type = absl::Status;
};
template <>
struct TimeoutResultOf<absl::Status> {
  using type = absl::Status;
};
template <class U>
struct TimeoutResultOf<absl::StatusOr<U>> {
  using type = absl::StatusOr<U>;
};

absl::Status DeadlineExceeded(Clock::duration d);

// Starts the inner frame inside the calling task with a deadline armed.
// await_resume() says whether the inner task finished (true) or the
// deadline redirected us here (false).
//
// States: armed (inner running or parked) -> finished (inner's final
// awaiter resumed us; the timer is disarmed) or expired (OnFire made this
// frame the task's resume point; the inner frame is still parked and is
// destroyed by Timeout).
class DeadlineScope {
 public:
  DeadlineScope(Instant deadline, std::coroutine_handle<> inner,
                TaskPromiseBase& inner_promise)
      : inner_(inner), inner_promise_(inner_promise) {
    entry_.deadline = deadline;
  }
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;
  ~DeadlineScope() { Disarm(); }

  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self);
  bool await_resume() {
    Disarm();
    return !expired_;
  }

 private:
  static bool OnFire(void* arg);
  void Disarm();

  std::coroutine_handle<> inner_;
  TaskPromiseBase& inner_promise_;
  std::coroutine_handle<> self_;
  TaskHeader* task_ = nullptr;
  TimerEntry entry_;
  bool expired_ = false;
};

}  // namespace internal

template <class T>
Task<typename internal::TimeoutResultOf<T>::type> Timeout(Clock::duration d,
                                                          Task<T> task) {
  using Result = typename internal::TimeoutResultOf<T>::type;
  // Owns the inner frame from here on: destroyed on every way out.
  struct Frame {
    typename Task<T>::Handle handle;
    ~Frame() {
      if (handle) handle.destroy();
    }
  } inner{std::move(task).Release()};
  const bool finished = co_await internal::DeadlineScope(
      internal::Now() + d, inner.handle, inner.handle.promise());
  if (!finished) {
    // Destroy the abandoned frames now, before the caller goes on.
    std::exchange(inner.handle, {}).destroy();
    co_return internal::DeadlineExceeded(d);
  }
  if constexpr (std::is_void_v<T>) {
    inner.handle.promise().TakeResult();
    co_return absl::OkStatus();
  } else {
    Result result = inner.handle.promise().TakeResult();
    co_return result;
  }
}

}  // namespace weft

#endif  // WEFT_RUNTIME_TIMEOUT_H_
