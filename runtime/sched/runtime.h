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
#ifndef WEFT_RUNTIME_SCHED_RUNTIME_H_
#define WEFT_RUNTIME_SCHED_RUNTIME_H_

#include <memory>
#include <utility>

#include "runtime/sched/executor.h"
#include "runtime/sched/spawn.h"
#include "runtime/task/context.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/task.h"
#include "runtime/time/timer_entry.h"

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

  // Spawns onto this runtime from the thread that owns it, outside
  // BlockOn; the task runs during the next BlockOn. (From any other thread,
  // use a Handle.)
  template <class... A>
  auto Spawn(A&&... args) {
    return internal::SpawnOn(*executor_, std::forward<A>(args)...);
  }

  // A reference to a runtime that any thread may hold and spawn through
  // (tokio's runtime::Handle). Copyable; safe to use on any thread, from
  // another runtime's tasks, and after the runtime is gone.
  //
  // Spawn() on the runtime's own thread, inside BlockOn, is Spawn(). From
  // anywhere else the task is built on the calling thread and handed over
  // through the runtime's remote queue, which binds and runs it on its next
  // loop turn (remote_queue.h). The JoinHandle can be awaited by a task of
  // that runtime, or dropped (detached) anywhere. If the runtime has shut
  // down, the task never runs and its JoinHandle reports cancelled.
  class Handle {
   public:
    Handle(const Handle& other) : Handle(other.remote_) {}
    Handle& operator=(const Handle& other) {
      if (this != &other) {
        other.remote_->RefInc();
        remote_->Release();
        remote_ = other.remote_;
      }
      return *this;
    }
    ~Handle() { remote_->Release(); }

    template <class... A>
    auto Spawn(A&&... args) const {
      if (internal::tls_context.remote == remote_) {
        return internal::SpawnOn(*internal::tls_context.executor,
                                 std::forward<A>(args)...);
      }
      return internal::SpawnRemote(remote_, std::forward<A>(args)...);
    }

   private:
    friend class Runtime;
    // Takes a reference to `remote`, which keeps it alive past the runtime.
    explicit Handle(internal::RemoteQueue* remote) : remote_(remote) {
      remote_->RefInc();
    }
    internal::RemoteQueue* remote_;
  };
  // A handle to this runtime.
  Handle GetHandle() const { return Handle(executor_->remote()); }
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

#endif  // WEFT_RUNTIME_SCHED_RUNTIME_H_
