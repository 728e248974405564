// Waker: a counted reference to a task that can put it back in its run queue.
//
// A leaf awaitable that cannot finish yet stores a Waker where its event will
// come from (an I/O slot, a join handle, a channel, another thread) and
// suspends. The event calls Wake(); the task goes to the back of its
// runtime's run queue and the executor resumes it where it stopped.
//
// Thread-safety: a Waker may be copied, woken and destroyed on any thread. On
// the runtime's own thread a wake pushes onto the local run queue; from any
// other thread it goes through the runtime's remote queue and eventfd. A
// Waker outliving its task's completion or its runtime is harmless: waking it
// does nothing.
//
// Nothing here throws, and all of it says so (noexcept): a wake is in the
// hot path of many coroutines (docs/design-decisions.md, "Nothing in a leaf
// throws").
#ifndef WEFT_RUNTIME_TASK_WAKER_H_
#define WEFT_RUNTIME_TASK_WAKER_H_

#include <utility>

namespace weft {
class Waker;
namespace internal {
class TaskHeader;
// Whether `waker` wakes a task that was aborted (Abort(), or its runtime
// shutting down): such a task is never resumed again, only destroyed. A
// primitive destroyed before its waiters' frames uses it to tell a
// harmless leftover from a task that would wake into freed memory.
bool WakesAbortedTask(const Waker& waker) noexcept;
}  // namespace internal

class Waker {
 public:
  // An empty waker: waking it does nothing.
  Waker() = default;
  // Adopts one reference to `task` (the caller already counted it).
  static Waker Adopt(internal::TaskHeader* task) { return Waker(task); }

  Waker(const Waker& other) noexcept : Waker(other.Clone()) {}
  Waker& operator=(const Waker& other) noexcept {
    if (this != &other) *this = other.Clone();
    return *this;
  }
  Waker(Waker&& other) noexcept : task_(std::exchange(other.task_, nullptr)) {}
  // Takes `other`'s reference, then drops the one this held (if any).
  // Moving a waker onto itself changes nothing.
  Waker& operator=(Waker&& other) noexcept {
    internal::TaskHeader* const old =
        std::exchange(task_, std::exchange(other.task_, nullptr));
    if (old != nullptr) Release(old);
    return *this;
  }
  ~Waker() { Reset(); }

  Waker Clone() const noexcept;
  // Schedules the task and gives up this waker's reference. Inline for the
  // empty check, which a caller's own `if (waker)` then makes once.
  void Wake() && noexcept {
    if (task_ != nullptr) WakeByValue(std::exchange(task_, nullptr));
  }
  // Schedules the task; this waker stays usable.
  void WakeByRef() const noexcept;
  // Whether both wake the same task (so storing `other` would change nothing).
  bool WillWake(const Waker& other) const { return task_ == other.task_; }
  bool WillWake(const internal::TaskHeader* task) const {
    return task_ == task;
  }

  explicit operator bool() const { return task_ != nullptr; }
  // Drops this waker's reference. Inline for the empty case, which is what
  // most assignments over a waker slot find.
  void Reset() noexcept {
    if (task_ != nullptr) Release(std::exchange(task_, nullptr));
  }

 private:
  friend bool internal::WakesAbortedTask(const Waker& waker) noexcept;
  explicit Waker(internal::TaskHeader* task) : task_(task) {}
  static void Release(internal::TaskHeader* task) noexcept;
  static void WakeByValue(internal::TaskHeader* task) noexcept;
  internal::TaskHeader* task_ = nullptr;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_WAKER_H_
