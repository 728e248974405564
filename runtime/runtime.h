// Runtime: owns an executor and drives it (tokio's current_thread runtime).
//
//   weft::Runtime runtime;
//   int answer = runtime.BlockOn(Main());   // runs until Main() finishes
//
// BlockOn() makes this runtime current on the calling thread, so tasks can
// Spawn() and open sockets, and runs the loop (executor.h) until the given
// task completes; it returns the task's value or rethrows its exception.
// Tasks spawned meanwhile that are still alive afterwards stay parked until
// the next BlockOn, or until the Runtime is destroyed: destruction cancels
// every live task (its destructors run, its JoinHandle reports cancelled)
// and frees everything.
//
// One thread drives a runtime; BlockOn inside BlockOn throws.
#ifndef WEFT_RUNTIME_RUNTIME_H_
#define WEFT_RUNTIME_RUNTIME_H_

#include <memory>
#include <utility>

#include "runtime/context.h"
#include "runtime/executor.h"
#include "runtime/join_handle.h"
#include "runtime/spawn.h"
#include "runtime/task.h"
#include "runtime/timer_entry.h"

namespace weft {

struct RuntimeOptions {
  // The blocking pool (SpawnBlocking): at most this many threads...
  size_t max_blocking_threads = 512;
  // ...each exiting after this long without a job.
  Clock::duration blocking_keep_alive = std::chrono::seconds(10);
  // At shutdown, how long to wait for blocking jobs still running.
  Clock::duration blocking_shutdown_timeout = std::chrono::seconds(10);
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  template <class T>
  T BlockOn(Task<T> task) {
    Enter enter(executor_.get());
    JoinHandle<T> handle = internal::SpawnOn(*executor_, std::move(task));
    executor_->RunUntilComplete(handle.cell_);
    return handle.cell_->TakeOutput().value();
  }

  // BlockOn(fn, args...): the callable (a coroutine lambda) is kept alive for
  // as long as its task runs, as with Spawn.
  template <class F, class... Args>
  requires internal::TaskFactory<F, Args...>
  auto BlockOn(F&& fn, Args&&... args) {
    Enter enter(executor_.get());
    auto handle = internal::SpawnOn(*executor_, std::forward<F>(fn),
                                    std::forward<Args>(args)...);
    executor_->RunUntilComplete(handle.cell_);
    return handle.cell_->TakeOutput().value();
  }

  // Spawns onto this runtime from outside it; the task runs during BlockOn.
  template <class... A>
  auto Spawn(A&&... args) {
    return internal::SpawnOn(*executor_, std::forward<A>(args)...);
  }

  // A way to reach the current runtime from inside a task.
  class Handle {
   public:
    template <class... A>
    auto Spawn(A&&... args) const {
      return internal::SpawnOn(*executor_, std::forward<A>(args)...);
    }

   private:
    friend class Runtime;
    explicit Handle(internal::Executor* executor) : executor_(executor) {}
    internal::Executor* executor_;
  };
  // The runtime driving this thread. Throws std::logic_error outside one.
  static Handle Current();

 private:
  // Makes `executor` current on this thread for the scope.
  class Enter {
   public:
    explicit Enter(internal::Executor* executor);
    ~Enter();

   private:
    internal::Executor* executor_;
  };

  std::unique_ptr<internal::Executor> executor_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_RUNTIME_H_
