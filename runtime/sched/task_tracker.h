// TaskTracker: counts tasks so that a shutdown can wait for all of them
// (tokio-util's task::TaskTracker).
//
//   weft::CancellationToken stop;         // cancelled when it is time
//   weft::TaskTracker tracker;
//   for (;;) {                            // the accept loop
//     auto won = co_await weft::Select(stop.Cancelled(), listener.Accept());
//     if (won.index() == 0) break;
//     auto accepted = std::get<1>(std::move(won));
//     if (!accepted.ok()) continue;
//     tracker.Spawn(Serve, std::move(accepted->first));
//   }
//   tracker.Close();                      // no more will come
//   co_await tracker.Wait();              // every tracked task is done
//
// A tracked task counts from when it is tracked until its frame is gone:
// when it finishes, and as well when it is aborted, or cancelled by
// ~Runtime, or never spawned (Spawn threw). Wait() completes once the
// tracker is closed and the count is zero, both at once; until Close() it
// waits even with nothing tracked, so a loop that has not spawned yet does
// not look finished. Reopen() undoes Close(), and a closed tracker still
// tracks: closing is a statement that the spawning is over, not a lock.
//
// A tracker is a shared handle (copies are the same tracker) and its state
// lives as long as any copy, token or waiter does, so a task may hold one
// for as long as it runs. Every member may be called from any thread.
//
// Unlike a JoinSet, a tracker keeps no handle and no result: tracking costs
// one count, and a finished task's memory is freed at once.
#ifndef WEFT_RUNTIME_SCHED_TASK_TRACKER_H_
#define WEFT_RUNTIME_SCHED_TASK_TRACKER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

#include "runtime/sched/spawn.h"
#include "runtime/sync/list_awaiter.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/task.h"

namespace weft {

class TaskTracker;

// One count on a TaskTracker, for as long as it lives (copies count once
// each). What Track() holds in the task's frame; for work the tracker should
// wait for that is not a task, hold one yourself.
class TaskTrackerToken {
 public:
  TaskTrackerToken(const TaskTrackerToken& other);
  TaskTrackerToken& operator=(const TaskTrackerToken& other);
  TaskTrackerToken(TaskTrackerToken&& other) noexcept = default;
  TaskTrackerToken& operator=(TaskTrackerToken&& other) noexcept;
  ~TaskTrackerToken() { Release(); }

  // The tracker this token counts on. A moved-from token has none: it
  // throws std::logic_error (misuse.h).
  TaskTracker tracker() const;

 private:
  friend class TaskTracker;
  struct State;
  explicit TaskTrackerToken(std::shared_ptr<State> state);
  void Release();

  std::shared_ptr<State> state_;  // null once moved from
};

class TaskTracker {
 public:
  TaskTracker();
  // Copies only: a move is a copy, so no tracker is ever empty.
  TaskTracker(const TaskTracker&) = default;
  TaskTracker& operator=(const TaskTracker&) = default;

  // Spawns `task` (or `fn(args...)`, as weft::Spawn does) on this thread's
  // runtime, tracked.
  template <class T>
  JoinHandle<T> Spawn(Task<T> task) const {
    return weft::Spawn(Track(std::move(task)));
  }
  template <class F, class... Args>
  requires internal::TaskFactory<F, Args...>
  auto Spawn(F&& fn, Args&&... args) const {
    return Spawn(internal::CallFactory<std::decay_t<F>, std::decay_t<Args>...>(
        std::forward<F>(fn), std::forward<Args>(args)...));
  }

  // `task`, counted from now until its frame is destroyed: to spawn some
  // other way (a Runtime::Handle, a JoinSet) or to await in place.
  template <class T>
  Task<T> Track(Task<T> task) const {
    return Tracked(Token(), std::move(task));
  }

  // A count that lasts as long as the token.
  TaskTrackerToken Token() const;

  // True if this call closed it (it was open).
  bool Close() const;
  // True if this call reopened it (it was closed).
  bool Reopen() const;
  bool IsClosed() const;
  // How many tasks (tokens) are tracked now.
  size_t Len() const;
  bool IsEmpty() const { return Len() == 0; }

  class WaitAwaiter;
  // Completes once the tracker is closed and empty: at once if it is now,
  // else at the first moment it is, even if a Reopen() or a new task
  // undoes that before the waiter runs. Cancel-safe: dropping it loses
  // nothing.
  WaitAwaiter Wait() const;

 private:
  friend class TaskTrackerToken;
  using State = TaskTrackerToken::State;

  template <class T>
  static Task<T> Tracked([[maybe_unused]] TaskTrackerToken token,
                         Task<T> task) {
    // `token` lives in the frame: the count lasts as long as the frame.
    // The result in a statement of its own: g++ 12 mis-compiles
    // `co_return co_await` with by-value coroutine parameters (spawn.h).
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
    } else {
      T value = co_await std::move(task);
      co_return value;
    }
  }

  explicit TaskTracker(std::shared_ptr<State> state)
      : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

// The shared state. `word` is the count shifted left by one, with bit 0 the
// closed flag, so that "closed and empty" is one value (1) that every
// change reads as it makes it: the change that makes the word 1 (the last
// token going, or Close() of an empty tracker) wakes the waiters, under mu.
struct TaskTrackerToken::State {
  static constexpr uint64_t kClosed = 1;
  static constexpr uint64_t kOne = 2;

  // Takes mu; wakes every waiter if the word is 1 still (a Reopen() or a
  // new token since may have undone it), marking each done first: the word
  // may change again before the task runs, and a woken waiter must stay
  // Ready (list_awaiter.h).
  void WakeIfDone();

  std::atomic<uint64_t> word{0};
  std::mutex mu;
  internal::WaitList<TaskTracker::WaitAwaiter> waiting;  // guarded by mu
};

class [[nodiscard]] [[gnu::warn_unused]] TaskTracker::WaitAwaiter
    : private internal::KeepAlive,
      public internal::ListAwaiter<WaitAwaiter> {
 public:
  static constexpr const char* kName = "TaskTracker::Wait";
  WaitAwaiter(WaitAwaiter&& other) noexcept
      : internal::KeepAlive(std::move(other)),
        internal::ListAwaiter<WaitAwaiter>(std::move(other)),
        state_(other.state_) {}

  bool Ready() const {
    return done_.load(std::memory_order_acquire) ||
           state_->word.load(std::memory_order_acquire) == State::kClosed;
  }
  void await_resume() {}

 private:
  friend class TaskTracker;
  friend struct TaskTrackerToken::State;
  explicit WaitAwaiter(std::shared_ptr<State> state)
      : internal::KeepAlive{state},
        internal::ListAwaiter<WaitAwaiter>(&state->mu, &state->waiting),
        state_(state.get()) {}

  const State* state_;
  // Set by WakeIfDone, under mu, before the wake; read by the ready check,
  // which may run on the runtime thread as another thread wakes.
  std::atomic<bool> done_{false};
};

inline TaskTracker::WaitAwaiter TaskTracker::Wait() const {
  return WaitAwaiter(state_);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_SCHED_TASK_TRACKER_H_
