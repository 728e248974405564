// PollFn: write your own awaitable as a poll function (tokio's poll_fn and
// Context::waker()).
//
//   int value = co_await weft::PollFn([&](weft::PollContext& cx)
//                                         -> std::optional<int> {
//     if (std::optional<int> v = mailbox.TryTake()) return v;  // ready
//     mailbox.SetWaker(cx.waker());  // wake me when something arrives
//     return std::nullopt;           // pending
//   });
//
// The poll function returns std::optional<T> (the await yields T) or bool
// (the await yields nothing): a value or true means ready, nullopt or
// false means pending.
//
// The contract:
//   * The function runs on the runtime's thread: once when the await
//     starts, and again each time the task is woken, before the task is
//     resumed, until it returns ready. It must not block. It cannot await.
//   * Returning pending, it must have handed cx.waker() (a new Waker for
//     this task, counted; store it, copy it, send it to another thread) to
//     whatever will make the next poll succeed; waking it, from any
//     thread, polls again. Returning pending with no waker handed out
//     waits until the task is cancelled.
//   * Store the waker first, check last, and nothing is lost: a wake that
//     arrives while the function runs, or between its return and the
//     task's suspension, is kept (the task is polled again). A setter on
//     another thread must not slip between the check and the store: do
//     both under the setter's lock (docs/writing-awaitables.md).
//   * Spurious wakes are harmless: the function is just asked again.
//   * Cancelled while pending (Abort, a Timeout, shutdown), the await is
//     destroyed with the task's frame, the function with it; a waker it
//     stored elsewhere may still be woken later, which does nothing.
//
// PollFn is movable until it is awaited, so Timeout can take it.
#ifndef WEFT_RUNTIME_TASK_POLL_FN_H_
#define WEFT_RUNTIME_TASK_POLL_FN_H_

#include <coroutine>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/task/leaf.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft {

// What a poll function is given: the task being polled.
class PollContext {
 public:
  // A new Waker for the polled task (one reference).
  Waker waker() const { return internal::WakerFor(*task_); }

 private:
  template <class F>
  friend class PollFn;
  explicit PollContext(internal::TaskHeader* task) : task_(task) {}
  internal::TaskHeader* task_;
};

namespace internal {
template <class P>
inline constexpr bool kIsPoll = std::is_same_v<P, bool>;
template <class T>
inline constexpr bool kIsPoll<std::optional<T>> = true;
}  // namespace internal

template <class F>
class [[nodiscard]] [[gnu::warn_unused]] PollFn : private internal::ReadyCheck {
  using Poll = std::invoke_result_t<F&, PollContext&>;
  static_assert(internal::kIsPoll<Poll>,
                "a poll function returns std::optional<T> or bool");

 public:
  explicit PollFn(F poll) : poll_(std::move(poll)) {}
  PollFn(PollFn&&) = default;

  bool await_ready() { return Run(internal::CurrentTask("PollFn")); }
  void await_suspend(std::coroutine_handle<> self) {
    internal::ParkedTask parked(self, "PollFn");
    task_ = &parked.task();
    // The executor asks this before resuming the task: each wake polls
    // again, and the task resumes only once the poll said ready.
    ready = [](const internal::ReadyCheck* check) {
      auto* self = const_cast<PollFn*>(static_cast<const PollFn*>(check));
      return self->Run(*self->task_);
    };
    parked.WaitFor(this);
  }
  auto await_resume() {
    if constexpr (!std::is_same_v<Poll, bool>) return std::move(*result_);
  }

 private:
  // Polls unless a poll said ready already; true when ready.
  bool Run(internal::TaskHeader& task) {
    if (!IsReady()) {
      PollContext cx(&task);
      result_ = poll_(cx);
    }
    return IsReady();
  }
  bool IsReady() const { return static_cast<bool>(result_); }

  F poll_;
  internal::TaskHeader* task_ = nullptr;
  Poll result_{};  // false or nullopt until a poll says ready
};

template <class F>
PollFn(F) -> PollFn<F>;

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_POLL_FN_H_
