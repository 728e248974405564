// Timeout(d, op) and TimeoutAt(deadline, op): await `op`, but give up at a
// deadline.
//
//   TimeoutResult<Reply> r = co_await Timeout(2s, Fetch(request));
//
//   JoinHandle<int> handle = Spawn(Work(1));
//   TimeoutResult<JoinResult<int>> j = co_await Timeout(1s, handle);
//
//   Notify notify;
//   Instant deadline = time::Now() + 5s;
//   TimeoutResult<void> n = co_await TimeoutAt(deadline, notify.Notified());
//
// `op` is any weft awaitable: a Task, a JoinHandle, Notify::Notified(), a
// socket read, a Sleep. An lvalue (a JoinHandle you keep) is awaited in
// place and must outlive the Timeout; anything else is moved in.
//
// The result (timeout_result.h) is `op`'s own result, or Elapsed; the two
// never mix. If `op` throws, the exception propagates. If the deadline
// comes first, `op` is cancelled: its frames, and every frame they await,
// are destroyed before Timeout returns, so its destructors have run and it
// left nothing registered (a Notify waiter that was already selected passes
// its notification on).
//
// Who wins a tie: `op` does, as in tokio, which polls the inner future
// before the deadline. If `op`'s event has come by the time the task runs
// after the deadline (woken in the same loop turn, or even by a timer
// firing in the same turn), `op` runs once more first and its result is
// returned if that finishes it; only if it parks again is it cancelled.
//
// How, without a second task: `op` runs inside the caller's task (like any
// awaited child), and a timer is armed beside it (DeadlineScope, time.cc).
// At the deadline the timer redirects the caller's task: its resume point
// becomes Timeout's own frame instead of the leaf `op` parked in. Timeout
// then destroys `op`'s frames, innermost first (DestroyChain, task.h).
#ifndef WEFT_RUNTIME_TIME_TIMEOUT_H_
#define WEFT_RUNTIME_TIME_TIMEOUT_H_

#include <chrono>
#include <coroutine>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/task/as_task.h"
#include "runtime/task/task.h"
#include "runtime/task/task_header.h"
#include "runtime/time/timeout_result.h"
#include "runtime/time/timer_entry.h"

namespace weft {

namespace internal {

// The current runtime's clock (time_source.h); the steady clock outside one.
Instant Now();

// Owns a Timeout's inner frame. If the deadline cancelled the inner chain
// where it was parked, `parked_at` names its innermost frame, and the chain
// is destroyed from there up (DestroyChain); otherwise it is destroyed as
// Task's awaiter destroys the frame it awaits (DestroyOwnedFrame), which
// lets it go when DestroyChain already destroyed it from further down.
class InnerFrame {
 public:
  explicit InnerFrame(std::coroutine_handle<> frame) : frame_(frame) {}
  InnerFrame(const InnerFrame&) = delete;
  InnerFrame& operator=(const InnerFrame&) = delete;
  ~InnerFrame() { Destroy(); }

  std::coroutine_handle<> get() const { return frame_; }
  void Destroy() noexcept {
    if (!frame_) return;
    const std::coroutine_handle<> frame = std::exchange(frame_, {});
    if (parked_at) {
      DestroyChain(std::exchange(parked_at, {}), frame);
    } else {
      DestroyOwnedFrame(frame);
    }
  }

  std::coroutine_handle<> parked_at;

 private:
  std::coroutine_handle<> frame_;
};

// Starts the inner frame inside the calling task with a deadline armed.
// await_resume() says whether the inner frame finished (true) or the
// deadline redirected the task here (false).
//
// States (time.cc has the transitions):
//   armed       the inner frame runs or is parked; the timer is armed.
//   deciding    the deadline passed while the inner frame was parked in a
//               leaf with a ready check: this scope's own check stands in
//               for the leaf's until the task is next popped, and then asks
//               the leaf's (Decide).
//   last poll   the inner frame's event had come: it runs once more, with
//               the timer armed again for the next loop turn.
//   expired     the task's resume point is Timeout's frame; the inner
//               chain stays parked until Timeout destroys it.
//   finished    the inner frame returned; the timer is disarmed.
class DeadlineScope : private ReadyCheck {
 public:
  DeadlineScope(Instant deadline, InnerFrame& inner) : inner_(inner) {
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
  static bool Decide(const ReadyCheck* check);
  void Arm();
  void Expire();
  void Disarm();

  InnerFrame& inner_;
  std::coroutine_handle<> self_;
  TaskHeader* task_ = nullptr;
  // Where the inner chain rests while parked: the task's site, or a Select
  // branch's when the Timeout runs inside one.
  ParkSite* site_ = nullptr;
  TimerEntry entry_;
  const ReadyCheck* inner_check_ = nullptr;  // while deciding
  bool last_poll_ = false;
  bool expired_ = false;
};

template <class T>
Task<TimeoutResult<T>> WithDeadline(Instant deadline,
                                    std::optional<Clock::duration> after,
                                    Task<T> task) {
  InnerFrame inner(std::move(task).Release());
  const bool finished = co_await DeadlineScope(deadline, inner);
  if (!finished) {
    inner.Destroy();  // before the caller goes on
    co_return TimeoutResult<T>(Elapsed(after));
  }
  auto& promise =
      Task<T>::Handle::from_address(inner.get().address()).promise();
  if constexpr (std::is_void_v<T>) {
    promise.TakeResult();
    co_return TimeoutResult<void>();
  } else {
    // Its own statement: GCC 12 and `co_return <expression with a
    // coroutine parameter>` (spawn.h, CallFactory).
    T value = promise.TakeResult();
    co_return TimeoutResult<T>(std::move(value));
  }
}

}  // namespace internal

template <class A>
auto TimeoutAt(Instant deadline, A&& awaitable) {
  return internal::WithDeadline(deadline, std::nullopt,
                                internal::AsTask(std::forward<A>(awaitable)));
}

template <class A>
auto Timeout(Clock::duration d, A&& awaitable) {
  return internal::WithDeadline(internal::Now() + d, d,
                                internal::AsTask(std::forward<A>(awaitable)));
}

}  // namespace weft

#endif  // WEFT_RUNTIME_TIME_TIMEOUT_H_
