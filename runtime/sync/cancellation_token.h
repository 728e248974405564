// CancellationToken: a flag that, once set, tells every task watching it
// to wind down (tokio-util's sync::CancellationToken).
//
//   weft::CancellationToken stop;
//   weft::Spawn([](weft::CancellationToken stop) -> weft::Task<> {
//     while (!stop.IsCancelled()) {
//       auto won = co_await weft::Select(stop.Cancelled(), DoWork());
//       if (won.index() == 0) break;  // cancelled: DoWork() was dropped
//     }
//   }, stop.ChildToken());
//   stop.Cancel();  // from any thread, any number of times
//
// A token is a shared handle: copies are the same token, and the state
// lives as long as any copy, awaiter or child needs it. So a task may keep
// a copy for as long as it runs, whatever happens to the one that made it.
//
// Children: ChildToken() is cancelled when this one is (at once if it is
// already), and cancelling a child leaves its parent alone. A child does
// not keep its parent alive; a parent forgets a child no copy holds.
//
// Cancelled() completes once the token is cancelled, and is cancel-safe:
// dropping it (a lost Select branch, a Timeout) loses nothing, and a new
// Cancelled() sees the same flag. CancelOnDrop() gives a guard that
// cancels the token when it goes out of scope (tokio-util's drop_guard),
// unless Disarm()ed first.
//
// Every operation may be called from any thread: the flag is an atomic,
// the waiters wait in a list under a mutex (list_awaiter.h), and a cancel
// wakes each through its Waker.
#ifndef WEFT_RUNTIME_SYNC_CANCELLATION_TOKEN_H_
#define WEFT_RUNTIME_SYNC_CANCELLATION_TOKEN_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/sync/list_awaiter.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/await_result.h"
#include "runtime/task/select.h"
#include "runtime/task/task.h"

namespace weft {

class CancellationToken {
 public:
  // A new token, not cancelled, with no parent.
  CancellationToken();

  // Sets the flag, wakes every Cancelled() awaiter, cancels every child.
  // Idempotent. A moved-from token does nothing.
  void Cancel() const;
  // A moved-from token answers true: there is nothing left to wait for.
  bool IsCancelled() const;
  // A token cancelled with this one, and on its own.
  CancellationToken ChildToken() const;

  class CancelledAwaiter;
  CancelledAwaiter Cancelled() const;

  // The result of `awaitable`, or nullopt if the token is cancelled first
  // (then `awaitable` is dropped where it waits): tokio-util's
  // run_until_cancelled. std::monostate stands for void.
  template <class Awaitable>
  auto RunUntilCancelled(Awaitable awaitable) const -> Task<
      std::optional<ValueOrMonostate<internal::AwaitResultOf<Awaitable>>>> {
    return RunUntil(*this, std::move(awaitable));
  }

  class DropGuard;
  [[nodiscard]] DropGuard CancelOnDrop() const;

 private:
  struct State;

  template <class Awaitable>
  static auto RunUntil(CancellationToken token, Awaitable awaitable) -> Task<
      std::optional<ValueOrMonostate<internal::AwaitResultOf<Awaitable>>>>;

  explicit CancellationToken(std::shared_ptr<State> state)
      : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

// One await of Cancelled(). Holds a share of the token's state, so it may
// outlive every copy of the token (internal::KeepAlive).

class [[nodiscard]] [[gnu::warn_unused]] CancellationToken::CancelledAwaiter
    : private internal::KeepAlive,
      public internal::ListAwaiter<CancelledAwaiter> {
 public:
  static constexpr const char* kName = "CancellationToken::Cancelled";
  CancelledAwaiter(CancelledAwaiter&&) noexcept = default;

  bool Ready() const { return flag_->load(std::memory_order_acquire); }
  void await_resume() {}

 private:
  friend class CancellationToken;
  CancelledAwaiter(std::shared_ptr<void> state, std::mutex* mu,
                   internal::WaitList<CancelledAwaiter>* list,
                   const std::atomic<bool>* flag)
      : internal::KeepAlive{std::move(state)},
        internal::ListAwaiter<CancelledAwaiter>(mu, list),
        flag_(flag) {}

  const std::atomic<bool>* flag_;
};

struct CancellationToken::State {
  // Under mu: sets the flag, wakes the waiters, and takes the children,
  // which are cancelled after mu is let go (each has a mutex of its own).
  void Cancel();

  std::atomic<bool> cancelled{false};
  std::mutex mu;
  internal::WaitList<CancelledAwaiter> waiting;  // guarded by mu
  std::vector<std::weak_ptr<State>> children;    // guarded by mu
  size_t prune_at = 8;  // guarded by mu: when to drop children gone
};

inline CancellationToken::CancellationToken()
    : state_(std::make_shared<State>()) {}

inline void CancellationToken::Cancel() const {
  if (state_) state_->Cancel();
}

inline bool CancellationToken::IsCancelled() const {
  return !state_ || state_->cancelled.load(std::memory_order_acquire);
}

template <class Awaitable>
auto CancellationToken::RunUntil(CancellationToken token, Awaitable awaitable)
    -> Task<
        std::optional<ValueOrMonostate<internal::AwaitResultOf<Awaitable>>>> {
  auto won = co_await SelectBiased(token.Cancelled(), std::move(awaitable));
  if (won.index() == 0) co_return std::nullopt;
  co_return std::get<1>(std::move(won));
}

inline CancellationToken::CancelledAwaiter CancellationToken::Cancelled()
    const {
  if (!state_) {
    // A moved-from token is cancelled for good: a state of its own, set.
    CancellationToken done;
    done.state_->cancelled.store(true, std::memory_order_relaxed);
    return done.Cancelled();
  }
  return CancelledAwaiter(state_, &state_->mu, &state_->waiting,
                          &state_->cancelled);
}

// Cancels its token when destroyed, unless Disarm() took the token back.
class [[nodiscard]] CancellationToken::DropGuard {
 public:
  explicit DropGuard(CancellationToken token) : token_(std::move(token)) {}
  DropGuard(DropGuard&& other) noexcept
      : token_(std::exchange(other.token_, std::nullopt)) {}
  DropGuard& operator=(DropGuard&& other) noexcept {
    if (this != &other) {
      if (token_) token_->Cancel();
      token_ = std::exchange(other.token_, std::nullopt);
    }
    return *this;
  }
  ~DropGuard() {
    if (token_) token_->Cancel();
  }

  // The token, no longer cancelled by this guard. Once only: a disarmed
  // guard's Disarm() throws std::logic_error.
  CancellationToken Disarm();

 private:
  std::optional<CancellationToken> token_;
};

inline CancellationToken::DropGuard CancellationToken::CancelOnDrop() const {
  return DropGuard(*this);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_CANCELLATION_TOKEN_H_
