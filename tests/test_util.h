// Small leaf awaitables and counters the runtime tests synchronise on.
#ifndef WEFT_TESTS_TEST_UTIL_H_
#define WEFT_TESTS_TEST_UTIL_H_

#include <coroutine>

#include "runtime/park.h"
#include "runtime/waker.h"

namespace weft::testing {

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
    struct Awaiter {
      Event* event;
      bool await_ready() { return event->set_; }
      void await_suspend(std::coroutine_handle<> self) {
        event->waker_ =
            internal::WakerFor(internal::Park(self, "testing::Event"));
      }
      void await_resume() {}
    };
    return Awaiter{this};
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

// Parks forever with no waker anywhere: only cancellation ends it.
struct Forever {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    internal::Park(self, "testing::Forever");
  }
  void await_resume() {}
};

}  // namespace weft::testing

#endif  // WEFT_TESTS_TEST_UTIL_H_
