// Barrier: n tasks wait for each other (tokio's sync::Barrier).
//
//   weft::Barrier barrier(3);
//   weft::Barrier::WaitResult r = co_await barrier.Wait();   // in 3 tasks
//   if (r.is_leader) std::puts("leader");  // one of each group of 3 is
//
// Every n-th Wait() releases the n waiting (itself included) and the
// barrier starts over for the next n. As in tokio, a Wait cancelled while
// it waits still counts toward its group (not cancel-safe).
//
// Threads: Wait() may be awaited by tasks on any thread; a lock guards the
// count and the waiters, whose nodes live in their awaiters.
#ifndef WEFT_RUNTIME_SYNC_BARRIER_H_
#define WEFT_RUNTIME_SYNC_BARRIER_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include "runtime/sync/wait_list.h"
#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft {

class Barrier {
 public:
  explicit Barrier(size_t n) : n_(n == 0 ? 1 : n) {}
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;
  // A waiter borrows the barrier: destroying it while tasks wait aborts,
  // saying so.
  ~Barrier() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!waiting_.empty()) {
      internal::MisuseAbort(
          "Barrier destroyed while tasks wait at it: it must outlive them");
    }
  }

  struct WaitResult {
    bool is_leader;  // the Wait that completed its group
  };

  // One Wait. States: kCounted (await_ready counted it) ──group
  // complete──► kReleased; a waiter parks in kCounted, linked, and the
  // leader moves every linked waiter of its group to kReleased (moving its
  // waker out first) and wakes it.
  class [[nodiscard]] [[gnu::warn_unused]] WaitAwaiter
      : public internal::WaitList<WaitAwaiter>::Node,
        private internal::ReadyCheck {
   public:
    explicit WaitAwaiter(Barrier* barrier) : barrier_(barrier) {}
    WaitAwaiter(WaitAwaiter&& other) noexcept : barrier_(other.barrier_) {
      if (other.counted_) {
        internal::AwaiterMovedAfterAwait("Barrier::Wait");
      }
    }
    WaitAwaiter(const WaitAwaiter&) = delete;
    WaitAwaiter& operator=(const WaitAwaiter&) = delete;
    ~WaitAwaiter() {
      if (released_.load(std::memory_order_acquire)) return;
      std::lock_guard<std::mutex> lock(barrier_->mu_);
      if (linked()) barrier_->waiting_.Remove(this);  // counted all the same
    }

    bool await_ready() {
      std::lock_guard<std::mutex> lock(barrier_->mu_);
      counted_ = true;
      generation_ = barrier_->generation_;
      if (++barrier_->count_ < barrier_->n_) return false;
      // The n-th: release the group and start the next.
      leader_ = true;
      released_.store(true, std::memory_order_relaxed);
      barrier_->count_ = 0;
      ++barrier_->generation_;
      while (WaitAwaiter* waiter = barrier_->waiting_.PopFront()) {
        Waker waker = std::move(waiter->waker_);
        waiter->released_.store(true, std::memory_order_release);
        std::move(waker).Wake();
      }
      return true;
    }
    void await_suspend(std::coroutine_handle<> self) {
      internal::ParkedTask parked(self, "Barrier::Wait");
      std::lock_guard<std::mutex> lock(barrier_->mu_);
      // The group may have completed since await_ready (another thread).
      if (parked.YieldIf(barrier_->generation_ != generation_)) {
        released_.store(true, std::memory_order_relaxed);
        return;
      }
      waker_ = parked.NewWaker();
      barrier_->waiting_.PushBack(this);
      ready = [](const internal::ReadyCheck* check) {
        return static_cast<const WaitAwaiter*>(check)->released_.load(
            std::memory_order_acquire);
      };
      parked.WaitFor(this);
    }
    WaitResult await_resume() { return WaitResult{leader_}; }

   private:
    Barrier* barrier_;
    uint64_t generation_ = 0;
    Waker waker_;  // guarded by the barrier's mu_ while linked
    std::atomic<bool> released_{false};
    bool leader_ = false;
    bool counted_ = false;
  };

  WaitAwaiter Wait() { return WaitAwaiter(this); }

 private:
  const size_t n_;
  std::mutex mu_;
  size_t count_ = 0;         // guarded by mu_: Waits counted in this group
  uint64_t generation_ = 0;  // guarded by mu_: groups completed
  internal::WaitList<WaitAwaiter> waiting_;  // guarded by mu_
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_BARRIER_H_
