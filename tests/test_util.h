// Small leaf awaitables and counters the runtime tests synchronise on.
#ifndef WEFT_TESTS_TEST_UTIL_H_
#define WEFT_TESTS_TEST_UTIL_H_

#include <optional>
#include <utility>

#include "runtime/task/poll_fn.h"
#include "runtime/task/waker.h"

namespace weft::testing {

// The current task's Waker, the public way.
inline auto OwnWaker() {
  return PollFn(
      [](PollContext& cx) { return std::optional<Waker>(cx.waker()); });
}

// A one-shot event: tasks `co_await event.Wait()` until someone calls Set().
// Single-threaded (the runtime's); keeps the waker it parked with so tests
// can wake tasks by hand.
class Event {
 public:
  bool is_set() const { return set_; }
  void Set() {
    set_ = true;
    if (waker_) std::move(waker_).Wake();
  }
  // The waker of the task parked here (empty if none).
  const Waker& waker() const { return waker_; }

  auto Wait() {
    return PollFn([this](PollContext& cx) {
      if (set_) return true;
      waker_ = cx.waker();
      return false;
    });
  }

 private:
  bool set_ = false;
  Waker waker_;
};

// Counts constructions and destructions, to prove frames and captures die.
struct LifeCounter {
  int alive = 0;
  int destroyed = 0;
};
class Tracked {
 public:
  explicit Tracked(LifeCounter* c) : c_(c) { ++c_->alive; }
  Tracked(const Tracked& o) : c_(o.c_) { ++c_->alive; }
  ~Tracked() {
    --c_->alive;
    ++c_->destroyed;
  }

 private:
  LifeCounter* c_;
};

// Parks until the task is next woken, by anything.
inline auto UntilWoken() {
  return PollFn([polled = false](PollContext&) mutable {
    return std::exchange(polled, true);
  });
}

// Parks forever with no waker anywhere: only cancellation ends it.
inline auto Forever() {
  return PollFn([](PollContext&) { return false; });
}

}  // namespace weft::testing

#endif  // WEFT_TESTS_TEST_UTIL_H_
