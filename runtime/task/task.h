// Task<T>: weft's coroutine type, the C++ counterpart of a Rust future.
//
// A Task is lazy: calling a coroutine that returns Task<T> allocates its frame
// and runs nothing. Its body runs when the task is awaited (`co_await
// std::move(task)` or `co_await Child()`) or handed to Spawn / BlockOn.
//
// Awaiting a child task hands control over through a trampoline: the parent
// suspends after naming the child in Context::next, the executor's resume
// loop (Executor::RunTask) resumes the child at once, and the child's final
// awaiter names the parent the same way. No await of a child goes through
// the run queue, and a chain of nested awaits of any depth runs in constant
// C++ stack.
//
// Why not plain symmetric transfer (await_suspend returning the handle to
// resume)? It is only stack-neutral if the compiler turns the resume into a
// tail call. clang always does; GCC 12 does so only at -O2 and not at all
// under AddressSanitizer: a 100,000-deep chain overflowed the stack at -O0,
// -O1 and -O2 with -fsanitize=address (docs/design-decisions.md).
//
// A Task owns its frame: destroying a Task that has not finished destroys the
// frame and with it every local and every child task it is awaiting. That is
// how cancellation reaches the innermost await (see executor.cc). A chain
// suspended in an await is destroyed by DestroyChain below, innermost frame
// first, so its destruction runs in constant C++ stack too.
#ifndef WEFT_RUNTIME_TASK_TASK_H_
#define WEFT_RUNTIME_TASK_TASK_H_

#include <algorithm>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/alloc/frame_cache.h"
#include "runtime/task/context.h"
#include "runtime/task/join_error.h"
#include "runtime/task/task_header.h"

namespace weft {

template <class T = void>
class [[nodiscard]] [[gnu::warn_unused]] Task;

namespace internal {

// Every Task<T> frame is allocated with room in front of it for the cell
// that Spawn() builds there (TaskCell<T>, task_cell.h), so a spawned task is
// one allocation: [cell | frame]. The room is kCellBytes (task_header.h); a
// frame that is only ever awaited, never spawned, just carries it unused.
// The frame itself is at least kMinFrameBytes<T> long, because a spawned
// task's output (a JoinResult<T>) is later stored in its place. The last byte
// of the room says who frees the block (FrameOwner, task_header.h): the frame
// itself, or the cell in front of it.
template <class T>
inline constexpr std::size_t kMinFrameBytes = sizeof(JoinResult<T>);

inline void* AllocateFrame(std::size_t frame_bytes) {
  const std::size_t bytes = kCellBytes + frame_bytes;
  const unsigned size_class = FrameCache::SizeClass(bytes);
  auto* frame =
      static_cast<unsigned char*>(FrameCache::Allocate(bytes, size_class)) +
      kCellBytes;
  frame[kRoomOwner] = kFrameOnly;
  frame[kRoomSizeClass] = static_cast<unsigned char>(size_class);
  return frame;
}

// A call, not inline: it is in the destroy path of every coroutine's
// resume function
// (docs/design-decisions.md, "Hot-path code generation").
void FreeFrame(void* frame) noexcept;

// A frame was destroyed still holding the exception that escaped its body
// (TaskPromiseBase below): aborts, saying so.
[[noreturn]] void ExceptionNotTaken() noexcept;

class TaskPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    // The child is done: the executor resumes whoever awaited it next. A
    // root task (spawned or run by BlockOn) has no continuation: the
    // executor sees the frame done.
    template <class Promise>
    void await_suspend(std::coroutine_handle<Promise> self) noexcept {
      tls_context.next = self.promise().continuation_;
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  TaskPromiseBase() noexcept : exception_() {}
  // Releases nothing: see exception_.
  ~TaskPromiseBase() {
    if (kCheckTransitions && exception_ != nullptr) ExceptionNotTaken();
  }
  TaskPromiseBase(const TaskPromiseBase&) = delete;
  TaskPromiseBase& operator=(const TaskPromiseBase&) = delete;

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  void set_continuation(std::coroutine_handle<> c) { continuation_ = c; }
  // The frame awaiting this one while it runs (stale once it finished;
  // null for a chain's root, which nobody awaits).
  std::coroutine_handle<> continuation() const { return continuation_; }
  // Whether an exception escaped the body (a finished frame).
  bool failed() const noexcept { return exception_ != nullptr; }
  // The exception that escaped the body (null if none), moved out.
  std::exception_ptr TakeException() noexcept {
    return std::exchange(exception_, nullptr);
  }

 protected:
  void RethrowIfFailed() {
    if (exception_ != nullptr) std::rethrow_exception(TakeException());
  }

 private:
  std::coroutine_handle<> continuation_;
  // Invariant: empty when the frame is destroyed. A frame that finished is
  // finished by exactly one owner, which takes the exception out first: the
  // awaiting task (await_resume), the executor (TaskCell::StoreOutput) or
  // Timeout; a frame destroyed before it finished never had one. So the
  // destructor releases nothing, and no coroutine's destroy path holds a
  // call to exception_ptr's release (docs/design-decisions.md, "Nothing in
  // a leaf throws"). A union member's destructor is not run implicitly;
  // builds that check transitions check the invariant instead.
  union {
    std::exception_ptr exception_;
  };
};

// The TaskPromiseBase of any Task frame, from its untyped handle: what
// DestroyChain walks with. Both GCC and clang lay a coroutine frame out as
// [resume fn, destroy fn, promise], the promise aligned to its own
// alignment (std::coroutine_handle<P>::promise() computes nothing else), and
// every TaskPromise<T> has TaskPromiseBase at its start and an alignment of
// at most two pointers; so the promise of every Task frame starts at the
// same offset, whatever its T. TaskPromise checks both (static_assert and,
// in checked builds, get_return_object).
inline TaskPromiseBase& PromiseOf(std::coroutine_handle<> frame) noexcept {
  return std::coroutine_handle<TaskPromiseBase>::from_address(frame.address())
      .promise();
}

// Destroys a suspended await chain: the frames from `innermost` up through
// each one's continuation to `outermost` (a frame that awaits, directly or
// through others, `innermost`), innermost first, one at a time.
//
// Why not just destroy `outermost`? Its frame's locals include the Task it
// awaits, whose destructor destroys that frame, whose locals include the
// next Task...: one C++ stack frame per level, which overflowed at about
// 45,000 levels (7,000 under ASan). Destroying innermost first keeps the
// order the recursion had (a child is gone before its parent's locals go)
// in a flat loop: before destroying a frame, the loop names its already
// destroyed child in Context::destroyed_child, and the awaiter in the
// parent that owns that child lets it go without destroying it again
// (DestroyOwnedFrame).
void DestroyChain(std::coroutine_handle<> innermost,
                  std::coroutine_handle<> outermost) noexcept;

// Defined here, not in task_header.h, for DestroyChain.
inline void TaskHeader::DestroyFrame() {
  if (!FrameAlive()) return;
  frame_owner = kFrameGone;
  const std::coroutine_handle<> root = Root();
  // Never run or parked in the root itself: one frame. (A finished one is
  // destroyed by StoreOutput.)
  if (!park.resume_point || park.resume_point == root) {
    root.destroy();
  } else {
    DestroyChain(park.resume_point, root);
  }
}

// What the owner of an awaited frame (Task's awaiter, Timeout's inner frame)
// does with it when it goes: destroys it, unless DestroyChain destroyed it
// already. A call, as destroy() itself is.
void DestroyOwnedFrame(std::coroutine_handle<> frame) noexcept;

template <class T>
class TaskPromise final : public TaskPromiseBase {
  static_assert(alignof(std::optional<T>) <= 2 * sizeof(void*),
                "an over-aligned task result does not fit the frame layout "
                "DestroyChain relies on (PromiseOf)");

 public:
  static void* operator new(std::size_t n) {
    // At least an output's size: a spawned task's output takes the frame's
    // place when the frame is destroyed (task_cell.h).
    static_assert(alignof(JoinResult<T>) <= alignof(std::max_align_t),
                  "an over-aligned task output does not fit a frame's place");
    return AllocateFrame(std::max(n, kMinFrameBytes<T>));
  }
  static void operator delete(void* frame) noexcept { FreeFrame(frame); }

  Task<T> get_return_object() noexcept;

  template <class U = T>
  requires std::is_convertible_v<U&&, T>
  void return_value(U&& value) { value_.emplace(std::forward<U>(value)); }

  // The task's result: its value, or the exception that escaped it.
  T TakeResult() {
    RethrowIfFailed();
    return std::move(*value_);
  }
  // The value, left in place (TryJoin looks at a status before taking it).
  const std::optional<T>& value() const { return value_; }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> final : public TaskPromiseBase {
 public:
  static void* operator new(std::size_t n) {
    return AllocateFrame(std::max(n, kMinFrameBytes<void>));
  }
  static void operator delete(void* frame) noexcept { FreeFrame(frame); }

  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void TakeResult() { RethrowIfFailed(); }
};

}  // namespace internal

// Like every public awaitable of weft, a Task does nothing unless awaited,
// so it warns when dropped unawaited: [[nodiscard]] for a discarded call,
// gnu::warn_unused (g++, clang) for a variable never used, as in
// `auto r = Timeout(1s, Answer());`. (Two attribute lists, not one:
// clang-format 14 misreads the class body after a list of both.)
template <class T>
class [[nodiscard]] [[gnu::warn_unused]] Task {
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
  // awaiting one and yields its value (or rethrows its exception). The
  // awaiter takes the frame over and destroys it when the await ends; so the
  // one owner of a frame that is being awaited is that awaiter, and only its
  // destructor needs to know whether DestroyChain destroyed the frame
  // already (DestroyOwnedFrame).
  class [[nodiscard]] [[gnu::warn_unused]] Awaiter {
   public:
    // A constructor on purpose: GCC 12 destroys an aggregate awaiter with
    // a non-trivial member twice when it is co_awaited in a loop
    // (docs/design-decisions.md, "GCC 12 coroutine bugs").
    explicit Awaiter(Handle child) noexcept : child_(child) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      if (child_) internal::DestroyOwnedFrame(child_);
    }
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> parent) noexcept {
      child_.promise().set_continuation(parent);
      internal::tls_context.next = child_;  // the executor resumes it now
    }
    T await_resume() { return child_.promise().TakeResult(); }

   private:
    Handle child_;
  };
  Awaiter operator co_await() && noexcept {
    return Awaiter(std::exchange(handle_, {}));
  }

  // For the executor: the frame, which it then owns.
  Handle Release() && { return std::exchange(handle_, {}); }

 private:
  friend class internal::TaskPromise<T>;
  explicit Task(Handle handle) : handle_(handle) {}

  // A Task not being awaited owns a frame that never started or finished:
  // no chain hangs below it.
  void Reset() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

namespace internal {
// PromiseOf's layout assumption, checked on every frame in checked builds.
[[noreturn]] void PromiseMisplaced() noexcept;
inline void CheckPromiseOf(std::coroutine_handle<> frame,
                           const TaskPromiseBase* promise) noexcept {
  if (kCheckTransitions && &PromiseOf(frame) != promise) PromiseMisplaced();
}
}  // namespace internal

template <class T>
Task<T> internal::TaskPromise<T>::get_return_object() noexcept {
  auto handle = Task<T>::Handle::from_promise(*this);
  CheckPromiseOf(handle, this);
  return Task<T>(handle);
}

inline Task<void> internal::TaskPromise<void>::get_return_object() noexcept {
  auto handle = Task<void>::Handle::from_promise(*this);
  CheckPromiseOf(handle, this);
  return Task<void>(handle);
}

// True for Task<T>: what Spawn(callable) requires its callable to return.
template <class>
inline constexpr bool kIsTask = false;
template <class T>
inline constexpr bool kIsTask<Task<T>> = true;

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_TASK_H_
