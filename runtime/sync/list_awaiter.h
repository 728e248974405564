// ListAwaiter<Derived>: the awaiter of a primitive whose waiters wait in a
// WaitList, under the primitive's lock, until a condition holds (a
// broadcast message, a watch change). Written once: the steps of a leaf
// (leaf.h) with the list and the lock around them.
//
// Derived provides:
//   static constexpr const char* kName;  // in messages
//   bool Ready() const;   // the condition; read without the lock (the
//                         // ready check) and under it (before parking)
//   void OnPark() {}      // optional: runs under the lock as it parks
//
// States: new ──await_suspend, not Ready──► linked ──popped and woken by
// the primitive (under its lock)──► unlinked. Invariants: linked only
// while the lock's owner may pop it, and its waker is read only under the
// lock; the primitive pops only waiters whose Ready() will say yes (the
// executor leaves a task parked when its check says no, and nobody would
// wake it again: docs/design-decisions.md). Movable until awaited, as
// every awaiter of sync/ (Timeout, Select take them by value); destroyed
// while linked (cancelled), it unlinks itself.
#ifndef WEFT_RUNTIME_SYNC_LIST_AWAITER_H_
#define WEFT_RUNTIME_SYNC_LIST_AWAITER_H_

#include <coroutine>
#include <memory>
#include <mutex>
#include <utility>

#include "runtime/sync/wait_list.h"
#include "runtime/task/leaf.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::internal {

// For an awaiter of state shared through a shared_ptr (CancellationToken,
// TaskTracker), so that it may outlive every handle to that state: a base
// listed ahead of its ListAwaiter is destroyed after it, and ~ListAwaiter
// still locks the state's mutex.
struct KeepAlive {
  std::shared_ptr<void> share;
};

template <class Derived>
class ListAwaiter : public WaitList<Derived>::Node, private ReadyCheck {
 public:
  ListAwaiter(std::mutex* mu, WaitList<Derived>* list) : mu_(mu), list_(list) {}
  // The moved-from awaiter lets go of the lock: it may outlive the
  // primitive (a KeepAlive share moves with the awaiter, not the lock).
  ListAwaiter(ListAwaiter&& other) noexcept
      : mu_(std::exchange(other.mu_, nullptr)), list_(other.list_) {
    if (other.linked()) AwaiterMovedAfterAwait(Derived::kName);
  }
  ListAwaiter(const ListAwaiter&) = delete;
  ListAwaiter& operator=(const ListAwaiter&) = delete;
  ~ListAwaiter() {
    if (mu_ == nullptr) return;  // moved from: never linked
    std::lock_guard<std::mutex> lock(*mu_);
    if (this->linked()) list_->Remove(&derived());
  }

  bool await_ready() { return FinishNow(derived().Ready()); }
  void await_suspend(std::coroutine_handle<> self) {
    ParkedTask parked(self, Derived::kName);
    std::lock_guard<std::mutex> lock(*mu_);
    if (parked.YieldIf(derived().Ready())) return;  // since await_ready
    waker_ = parked.NewWaker();
    derived().OnPark();
    list_->PushBack(&derived());
    ready = [](const ReadyCheck* check) {
      return static_cast<const ListAwaiter*>(check)->derived().Ready();
    };
    parked.WaitFor(this);
  }

  // For the primitive, under its lock: unlinks this waiter and wakes it.
  void WakeLocked() {
    list_->Remove(&derived());
    std::move(waker_).Wake();
  }

 protected:
  void OnPark() {}

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }
  const Derived& derived() const { return static_cast<const Derived&>(*this); }

  std::mutex* mu_;
  WaitList<Derived>* list_;
  Waker waker_;  // guarded by *mu_ while linked
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_SYNC_LIST_AWAITER_H_
