// Task<T>: weft's coroutine type, the C++ counterpart of a Rust future.
//
// A Task is lazy: calling a coroutine that returns Task<T> allocates its frame
// and runs nothing. Its body runs when the task is awaited (`co_await
// std::move(task)` or `co_await Child()`) or handed to Spawn / BlockOn.
//
// Awaiting a child task uses symmetric transfer: the parent suspends and
// control jumps straight into the child; when the child finishes, its final
// awaiter jumps straight back to the parent. Both jumps are tail calls, so a
// chain of nested awaits of any depth runs in constant C++ stack, and no await
// of a child goes through the run queue.
//
// A Task owns its frame: destroying a Task that has not finished destroys the
// frame and with it every local and every child task it is awaiting. That is
// how cancellation reaches the innermost await (see executor.cc).
#ifndef WEFT_RUNTIME_TASK_H_
#define WEFT_RUNTIME_TASK_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace weft {

template <class T = void>
class [[nodiscard]] Task;

namespace internal {

class TaskPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    // The child is done: resume whoever awaited it. A root task (spawned or
    // run by BlockOn) has no continuation and returns to the executor.
    template <class Promise>
    std::coroutine_handle<> await_suspend(
        std::coroutine_handle<Promise> self) noexcept {
      std::coroutine_handle<> next = self.promise().continuation_;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  void set_continuation(std::coroutine_handle<> c) { continuation_ = c; }
  const std::exception_ptr& exception() const { return exception_; }

 protected:
  void RethrowIfFailed() {
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  std::coroutine_handle<> continuation_;
  std::exception_ptr exception_;
};

template <class T>
class TaskPromise final : public TaskPromiseBase {
 public:
  Task<T> get_return_object() noexcept;

  template <class U = T>
    requires std::is_convertible_v<U&&, T>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }

  // The task's result: its value, or the exception that escaped it.
  T TakeResult() {
    RethrowIfFailed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> final : public TaskPromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void TakeResult() { RethrowIfFailed(); }
};

}  // namespace internal

template <class T>
class [[nodiscard]] Task {
  static_assert(!std::is_reference_v<T>, "Task<T&> is not supported");

 public:
  using promise_type = internal::TaskPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;
  using value_type = T;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Reset(); }

  // `co_await std::move(task)`: runs the task to completion inside the
  // awaiting one and yields its value (or rethrows its exception).
  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle child;
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(
          std::coroutine_handle<> parent) noexcept {
        child.promise().set_continuation(parent);
        return child;  // symmetric transfer into the child
      }
      T await_resume() { return child.promise().TakeResult(); }
    };
    return Awaiter{handle_};
  }

  // For the executor: the frame, which it then owns.
  Handle Release() && { return std::exchange(handle_, {}); }

 private:
  friend class internal::TaskPromise<T>;
  explicit Task(Handle handle) : handle_(handle) {}

  void Reset() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

template <class T>
Task<T> internal::TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(Task<T>::Handle::from_promise(*this));
}

inline Task<void> internal::TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(Task<void>::Handle::from_promise(*this));
}

// True for Task<T>: what Spawn(callable) requires its callable to return.
template <class>
inline constexpr bool kIsTask = false;
template <class T>
inline constexpr bool kIsTask<Task<T>> = true;

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_H_
