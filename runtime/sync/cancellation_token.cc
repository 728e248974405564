#include "runtime/sync/cancellation_token.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace weft {

void CancellationToken::State::Cancel() {
  std::vector<std::shared_ptr<State>> live;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (cancelled.load(std::memory_order_relaxed)) return;
    // Set before the waiters are woken: each one's Ready() must say yes
    // when its task runs (list_awaiter.h).
    cancelled.store(true, std::memory_order_release);
    while (CancelledAwaiter* waiter = waiting.front()) waiter->WakeLocked();
    live.reserve(children.size());
    for (std::weak_ptr<State>& child : children) {
      if (std::shared_ptr<State> alive = child.lock()) {
        live.push_back(std::move(alive));
      }
    }
    children.clear();
  }
  // Outside our lock: a child takes its own, and never the parent's, so
  // the locks are taken top-down only and cannot deadlock.
  for (std::shared_ptr<State>& child : live) child->Cancel();
}

CancellationToken CancellationToken::ChildToken() const {
  CancellationToken child;
  if (!state_) {
    child.state_->cancelled.store(true, std::memory_order_relaxed);
    return child;
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->cancelled.load(std::memory_order_relaxed)) {
    child.state_->cancelled.store(true, std::memory_order_relaxed);
    return child;
  }
  std::vector<std::weak_ptr<State>>& children = state_->children;
  if (children.size() >= state_->prune_at) {
    // Children nobody holds any more are dropped in batches, so a
    // long-lived parent that hands out a child per connection stays as big
    // as its live children, at O(1) amortised per ChildToken().
    std::erase_if(children, [](const std::weak_ptr<State>& weak) {
      return weak.expired();
    });
    state_->prune_at = std::max<size_t>(8, 2 * children.size());
  }
  children.push_back(child.state_);
  return child;
}

CancellationToken CancellationToken::DropGuard::Disarm() {
  if (!token_) {
    throw std::logic_error(
        "CancellationToken::DropGuard::Disarm: the guard was disarmed or "
        "moved from");
  }
  return *std::exchange(token_, std::nullopt);
}

}  // namespace weft
