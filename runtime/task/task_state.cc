#include "runtime/task/task_state.h"

#include <cstdio>
#include <cstdlib>

namespace weft::internal {

void TaskState::Corrupt(const char* transition, uint64_t word) {
  std::fprintf(stderr, "weft: task state corrupt in %s: 0x%llx\n", transition,
               static_cast<unsigned long long>(word));
  std::abort();
}

TaskState::ToNotified TaskState::TransitionToNotified() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & (kNotified | kComplete)) != 0) return ToNotified::kDoNothing;
    // Mark it, with the reference kNotified owns. Idle: the caller queues
    // it. Running: TransitionToIdle queues it again.
    const bool running = (cur & kRunning) != 0;
    const uint64_t next = (cur | kNotified) + kRefOne;
    if (word_.compare_exchange_weak(cur, next, std::memory_order_acq_rel)) {
      return running ? ToNotified::kDoNothing : ToNotified::kSubmit;
    }
  }
}

TaskState::ToNotified TaskState::TransitionToNotifiedAndCancel() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & (kComplete | kCancelled)) != 0) return ToNotified::kDoNothing;
    // kNotified, if this sets it, comes with its reference (as a wake's).
    const bool submit = (cur & (kNotified | kRunning)) == 0;
    const uint64_t next =
        (cur | kCancelled | kNotified) + ((cur & kNotified) == 0 ? kRefOne : 0);
    if (word_.compare_exchange_weak(cur, next, std::memory_order_acq_rel)) {
      return submit ? ToNotified::kSubmit : ToNotified::kDoNothing;
    }
  }
}

TaskState::Completed TaskState::TransitionToComplete() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & kComplete) != 0) Corrupt("TransitionToComplete", cur);
    const uint64_t next = (cur & ~kRunning) | kComplete;
    if (word_.compare_exchange_weak(cur, next, std::memory_order_acq_rel)) {
      return {(cur & kJoinInterest) != 0,
              (cur & (kRunning | kNotified)) == (kRunning | kNotified),
              (cur & kJoinWaker) != 0};
    }
  }
}

bool TaskState::SetJoinWaker() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & kComplete) != 0) return false;
    if (kCheckTransitions && (cur & kJoinWaker) != 0) {
      Corrupt("SetJoinWaker", cur);
    }
    // Release: the waker's store happens before the runtime's read.
    if (word_.compare_exchange_weak(cur, cur | kJoinWaker,
                                    std::memory_order_acq_rel)) {
      return true;
    }
  }
}

bool TaskState::UnsetJoinWaker() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & kComplete) != 0) return false;
    if (word_.compare_exchange_weak(cur, cur & ~kJoinWaker,
                                    std::memory_order_acq_rel)) {
      return true;
    }
  }
}

bool TaskState::UnsetJoinInterestUnlessComplete() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & kComplete) != 0) return true;
    if (word_.compare_exchange_weak(cur, cur & ~kJoinInterest,
                                    std::memory_order_acq_rel)) {
      return false;
    }
  }
}

}  // namespace weft::internal
