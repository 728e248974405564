// JoinSet<T>: a set of spawned tasks, joined in the order they finish
// (tokio's task::JoinSet).
//
//   weft::JoinSet<int> set;
//   for (int i = 0; i < 10; ++i) set.Spawn(Work(i));
//   while (std::optional<JoinResult<int>> done = co_await set.JoinNext()) {
//     ...   // whichever finished first; nullopt once the set is empty
//   }
//
// Destroying the set aborts every task still in it (tokio does the same),
// so tasks never outlive the scope that spawned them by accident.
//
// How completion order is known: each task runs inside a small wrapper
// coroutine whose parameter, a DoneMark, is destroyed with the wrapper's
// frame, whether the task finished or was cancelled (even before it first
// ran). Its destructor queues the task's id on the set's `done` list and
// notifies it; JoinNext takes ids from that list and joins those handles,
// which are complete by the time JoinNext runs (it was only queued by the
// notification). Runtime thread only, like the tasks it spawns.
#ifndef WEFT_RUNTIME_SCHED_JOIN_SET_H_
#define WEFT_RUNTIME_SCHED_JOIN_SET_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "runtime/sched/spawn.h"
#include "runtime/sync/notify.h"
#include "runtime/task/abort_handle.h"
#include "runtime/task/join_error.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/task.h"

namespace weft {

template <class T>
class JoinSet {
 public:
  JoinSet() = default;
  JoinSet(const JoinSet&) = delete;
  JoinSet& operator=(const JoinSet&) = delete;
  ~JoinSet() { AbortAll(); }

  // Spawns `task` into the set (on the current runtime).
  AbortHandle Spawn(Task<T> task) {
    const uint64_t id = next_id_++;
    JoinHandle<T> handle =
        weft::Spawn(Tracked(std::move(task), DoneMark(state_, id)));
    AbortHandle abort = handle.GetAbortHandle();
    handles_.emplace(id, std::move(handle));
    return abort;
  }
  // Spawn(fn, args...): as weft::Spawn, the callable lives in the task.
  template <class F, class... Args>
  requires internal::TaskFactory<F, Args...> AbortHandle Spawn(F&& fn,
                                                               Args&&... args) {
    return Spawn(internal::CallFactory<std::decay_t<F>, std::decay_t<Args>...>(
        std::forward<F>(fn), std::forward<Args>(args)...));
  }

  // The next task to finish: its result (value, or JoinError: cancelled
  // or failed); nullopt when the set is empty. Cancel-safe: a JoinNext
  // cancelled while it waits leaves every task and result in the set.
  Task<std::optional<JoinResult<T>>> JoinNext() {
    for (;;) {
      if (handles_.empty()) co_return std::nullopt;
      while (!state_->done.empty()) {
        const uint64_t id = state_->done.front();
        auto found = handles_.find(id);
        if (found == handles_.end()) {  // not ours any more
          state_->done.pop_front();
          continue;
        }
        // Taken from the set only once its result is ours: the await may
        // yield (the budget), and a JoinNext cancelled there leaves both.
        JoinResult<T> result = co_await found->second;
        state_->done.pop_front();
        handles_.erase(id);
        co_return std::optional<JoinResult<T>>(std::move(result));
      }
      co_await state_->finished.Notified();
    }
  }

  // Asks every task in the set to stop; JoinNext then reports each as
  // cancelled (or its result, if it finished first).
  void AbortAll() {
    for (auto& [id, handle] : handles_) handle.Abort();
  }

  // Tasks in the set, finished or not, until JoinNext returns them.
  size_t Len() const { return handles_.size(); }
  bool IsEmpty() const { return handles_.empty(); }

 private:
  struct State {
    std::deque<uint64_t> done;  // ids of finished tasks, in that order
    Notify finished;            // one notification per id queued
  };

  // Queues its id when destroyed: with the wrapper's frame.
  class DoneMark {
   public:
    DoneMark(std::shared_ptr<State> state, uint64_t id)
        : state_(std::move(state)), id_(id) {}
    DoneMark(DoneMark&& other) noexcept
        : state_(std::move(other.state_)), id_(other.id_) {}
    DoneMark& operator=(DoneMark&&) = delete;
    ~DoneMark() {
      if (state_ == nullptr) return;
      state_->done.push_back(id_);
      state_->finished.NotifyOne();
    }

   private:
    std::shared_ptr<State> state_;
    uint64_t id_;
  };

  // The result is taken in its own statement (GCC 12 and
  // `co_return co_await`: docs/design-decisions.md).
  static Task<T> Tracked(Task<T> task, [[maybe_unused]] DoneMark mark) {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
    } else {
      T value = co_await std::move(task);
      co_return value;
    }
  }

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::unordered_map<uint64_t, JoinHandle<T>> handles_;
  uint64_t next_id_ = 0;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SCHED_JOIN_SET_H_
