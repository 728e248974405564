// JoinSet<T>: a set of spawned tasks, joined in the order they finish
// (tokio's task::JoinSet).
//
//   weft::JoinSet<int> set;
//   for (int i = 0; i < 10; ++i) set.Spawn(Work(i));
//   int total = 0;
//   // Whichever finished first; nullopt once the set is empty.
//   while (std::optional<JoinResult<int>> done = co_await set.JoinNext()) {
//     if (done->ok()) total += **done;  // not ok(): cancelled or threw
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
#include <utility>
#include <vector>

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
    const uint64_t id = NewSlot();
    Slot& slot = slots_[Index(id)];
    slot.handle.emplace(
        weft::Spawn(Tracked(std::move(task), DoneMark(state_, id))));
    ++len_;
    return slot.handle->GetAbortHandle();
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
      if (len_ == 0) co_return std::nullopt;
      while (!state_->done.empty()) {
        const uint64_t id = state_->done.front();
        Slot* slot = Find(id);
        if (slot == nullptr) {  // not ours any more
          state_->done.pop_front();
          continue;
        }
        // Taken from the set only once its result is ours: the await may
        // yield (the budget), and a JoinNext cancelled there leaves both.
        JoinResult<T> result = co_await *slot->handle;
        state_->done.pop_front();
        FreeSlot(id);
        co_return std::optional<JoinResult<T>>(std::move(result));
      }
      co_await state_->finished.Notified();
    }
  }

  // Asks every task in the set to stop; JoinNext then reports each as
  // cancelled (or its result, if it finished first).
  void AbortAll() {
    for (Slot& slot : slots_) {
      if (slot.handle) slot.handle->Abort();
    }
  }

  // Tasks in the set, finished or not, until JoinNext returns them.
  size_t Len() const { return len_; }
  bool IsEmpty() const { return len_ == 0; }

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

  // The handles, in slots reused through a free list: a task's id is its
  // slot's index and the slot's generation, so an id queued by a task that
  // is no longer the set's never matches the slot's next task.
  struct Slot {
    std::optional<JoinHandle<T>> handle;  // empty: free
    uint32_t generation = 0;
  };
  static uint32_t Index(uint64_t id) { return static_cast<uint32_t>(id); }
  static uint64_t Id(uint32_t index, uint32_t generation) {
    return uint64_t{generation} << 32 | index;
  }
  uint64_t NewSlot() {
    if (free_.empty()) {
      slots_.emplace_back();
      return Id(static_cast<uint32_t>(slots_.size() - 1), 0);
    }
    const uint32_t index = free_.back();
    free_.pop_back();
    return Id(index, slots_[index].generation);
  }
  Slot* Find(uint64_t id) {
    if (Index(id) >= slots_.size()) return nullptr;
    Slot& slot = slots_[Index(id)];
    if (!slot.handle || Id(Index(id), slot.generation) != id) return nullptr;
    return &slot;
  }
  void FreeSlot(uint64_t id) {
    Slot& slot = slots_[Index(id)];
    slot.handle.reset();
    ++slot.generation;
    free_.push_back(Index(id));
    --len_;
  }

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;  // indices of empty slots
  size_t len_ = 0;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SCHED_JOIN_SET_H_
