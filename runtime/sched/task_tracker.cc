#include "runtime/sched/task_tracker.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>

#include "runtime/task/misuse.h"

namespace weft {

void TaskTrackerToken::State::WakeIfDone() {
  std::lock_guard<std::mutex> lock(mu);
  if (word.load(std::memory_order_acquire) != kClosed) return;
  while (TaskTracker::WaitAwaiter* waiter = waiting.front()) {
    waiter->done_.store(true, std::memory_order_release);
    waiter->WakeLocked();
  }
}

TaskTrackerToken::TaskTrackerToken(std::shared_ptr<State> state)
    : state_(std::move(state)) {
  state_->word.fetch_add(State::kOne, std::memory_order_relaxed);
}

TaskTrackerToken::TaskTrackerToken(const TaskTrackerToken& other)
    : TaskTrackerToken(other.state_) {}

TaskTrackerToken& TaskTrackerToken::operator=(const TaskTrackerToken& other) {
  if (this != &other) *this = TaskTrackerToken(other);
  return *this;
}

TaskTrackerToken& TaskTrackerToken::operator=(
    TaskTrackerToken&& other) noexcept {
  if (this != &other) {
    Release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void TaskTrackerToken::Release() {
  if (!state_) return;
  std::shared_ptr<State> state = std::move(state_);
  // acq_rel: what the task did happens-before a Wait() that sees it gone.
  uint64_t before =
      state->word.fetch_sub(State::kOne, std::memory_order_acq_rel);
  if (before == (State::kOne | State::kClosed)) state->WakeIfDone();
}

TaskTracker TaskTrackerToken::tracker() const {
  if (!state_) internal::ThrowEmpty("TaskTrackerToken", "tracker");
  return TaskTracker(state_);
}

TaskTracker::TaskTracker() : state_(std::make_shared<State>()) {}

TaskTrackerToken TaskTracker::Token() const { return TaskTrackerToken(state_); }

bool TaskTracker::Close() const {
  uint64_t before =
      state_->word.fetch_or(State::kClosed, std::memory_order_acq_rel);
  if (before == 0) state_->WakeIfDone();
  return (before & State::kClosed) == 0;
}

bool TaskTracker::Reopen() const {
  uint64_t before =
      state_->word.fetch_and(~State::kClosed, std::memory_order_acq_rel);
  return (before & State::kClosed) != 0;
}

bool TaskTracker::IsClosed() const {
  return (state_->word.load(std::memory_order_acquire) & State::kClosed) != 0;
}

size_t TaskTracker::Len() const {
  return static_cast<size_t>(state_->word.load(std::memory_order_acquire) >> 1);
}

}  // namespace weft
