// SpawnBlocking(fn): run blocking code on a pool thread, join it as a task.
//
//   JoinHandle<std::string> h = SpawnBlocking([] { return ReadFileSync(); });
//   std::string text = *(co_await h);
//
// The three ways to run code, and when to use each:
//   Spawn(task)          a coroutine that awaits instead of blocking; cheap
//                        (a few hundred bytes), thousands at once
//   SpawnBlocking(fn)    code that blocks (a syscall without an async form,
//                        getaddrinfo, a long computation); runs on the
//                        runtime's blocking pool (blocking_pool.h)
//   std::thread          work that lives as long as the program, outside
//                        the runtime altogether.
//
// How: the returned handle joins an ordinary task that submits `fn` to the
// pool and parks. The pool thread runs `fn`, stores its value or exception
// in state shared with the task, and wakes the task through its Waker, the
// cross-thread path (remote queue + eventfd). Aborting the task does not
// stop `fn` (threads cannot be cancelled); its result is then dropped.
#ifndef WEFT_RUNTIME_SCHED_SPAWN_BLOCKING_H_
#define WEFT_RUNTIME_SCHED_SPAWN_BLOCKING_H_

#include <atomic>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/blocking/blocking_pool.h"
#include "runtime/sched/spawn.h"
#include "runtime/task/context.h"
#include "runtime/task/leaf.h"
#include "runtime/task/schedule.h"
#include "runtime/task/task.h"

namespace weft {
namespace internal {

// What the pool thread hands back. Written by the pool thread before
// `done` is set (release); read by the task after it sees `done` (acquire).
template <class R>
struct BlockingResult {
  std::atomic<bool> done{false};
  std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> value;
  std::exception_ptr error;
  Waker waker;  // set before the job is submitted; used by the pool thread
};

// Parks the task until the pool thread has run the job. Counts as external
// work while pending, so a paused test clock does not jump past it.
template <class R, class F>
class [[nodiscard]] [[gnu::warn_unused]] BlockingAwaiter : private ReadyCheck {
 public:
  BlockingAwaiter(std::shared_ptr<BlockingResult<R>> result, F fn)
      : result_(std::move(result)), fn_(std::move(fn)) {}
  BlockingAwaiter(const BlockingAwaiter&) = delete;
  BlockingAwaiter& operator=(const BlockingAwaiter&) = delete;
  ~BlockingAwaiter() {
    if (pool_ != nullptr) pool_->AddPending(-1);
  }

  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    ParkedTask parked(self, "SpawnBlocking");
    result_->waker = parked.NewWaker();
    ready = [](const ReadyCheck* self) {
      return static_cast<const BlockingAwaiter*>(self)->result_->done.load(
          std::memory_order_acquire);
    };
    parked.WaitFor(this);
    pool_ = &CurrentBlockingPool("SpawnBlocking");
    pool_->AddPending(1);
    pool_->Submit([result = result_, fn = std::move(fn_)]() mutable noexcept {
      try {
        // Consumed, as tokio's FnOnce: its captures are gone before
        // the task sees the result.
        F job = std::move(fn);
        if constexpr (std::is_void_v<R>) {
          std::move(job)();
          result->value.emplace(true);
        } else {
          result->value.emplace(std::move(job)());
        }
      } catch (...) {
        result->error = std::current_exception();
      }
      Waker waker = std::move(result->waker);
      result->done.store(true, std::memory_order_release);
      std::move(waker).Wake();
    });
  }
  void await_resume() {}

 private:
  std::shared_ptr<BlockingResult<R>> result_;
  F fn_;
  BlockingPool* pool_ = nullptr;
};

template <class R, class F>
Task<R> RunBlocking(F fn) {
  auto result = std::make_shared<BlockingResult<R>>();
  co_await BlockingAwaiter<R, F>(result, std::move(fn));
  if (result->error) std::rethrow_exception(result->error);
  if constexpr (!std::is_void_v<R>) {
    R value = std::move(*result->value);
    co_return value;
  }
}

}  // namespace internal

template <class F>
requires std::invocable<std::decay_t<F> &&> auto SpawnBlocking(F&& fn) {
  using R = std::invoke_result_t<std::decay_t<F>&&>;
  return Spawn(internal::RunBlocking<R, std::decay_t<F>>(std::forward<F>(fn)));
}

}  // namespace weft

#endif  // WEFT_RUNTIME_SCHED_SPAWN_BLOCKING_H_
