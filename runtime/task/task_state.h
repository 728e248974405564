// The task state word: who may run, wake, cancel, join and free a task.
//
// One atomic 64-bit word per spawned task, modelled on tokio's
// runtime/task/state.rs. The low bits are flags, the rest a reference count.
// Every change goes through one of the small named transitions below, each a
// single atomic read-modify-write (an add where the precondition fixes the
// bits, else a compare-and-swap loop), so a waker on another thread and the
// runtime thread never see a half-made change.
//
//   kRunning       the executor holds the task: it is inside its coroutine
//                  right now, or the task yielded and waits in the run queue
//                  to be resumed (ParkedTask::Yield, leaf.h), with the run's
//                  reference.
//   kNotified      the task is in a run queue, or (with kRunning) was woken
//                  while running and will be queued again when it parks.
//                  Either way kNotified owns one reference: the queue's, or
//                  the one that queue will get.
//   kComplete      the coroutine frame is gone; the output slot holds a value,
//                  an exception or "cancelled". Final: never cleared.
//   kCancelled     Abort() was called; the next poll destroys the frame
//                  instead of resuming it.
//   kJoinInterest  a JoinHandle exists; it, not the runtime, owns the output.
//   kJoinWaker     the join waker is published (join_handle.h's protocol):
//                  while set, and the task not complete, only the runtime
//                  may read TaskHeader::join_waker; while clear, only the
//                  awaiting JoinHandle may touch it. So a JoinHandle can
//                  be awaited from any thread, another runtime's included.
//
// Transitions (N = kNotified, R = kRunning, C = kComplete):
//
//      Spawn ──► N ──TransitionToRunning──► R ──coroutine done──► C
//                ▲                          │ parked
//                │ TransitionToNotified     ▼
//                └────────────────────── idle ◄── TransitionToIdle
//      wake while R: R|N, and TransitionToIdle puts it back in the queue.
//      yield (YieldNow, a spent budget): no transition at all. The task
//      stays R and goes to the back of the run queue; popped, it is resumed
//      unless kCancelled was set meanwhile (Executor::RunTask).
//
// Invariants:
//   * A task is in a queue only with kNotified (and the queue reference it
//     set) or yielded with kRunning (and the run's reference); a wake then
//     finds kNotified or kRunning set and queues nothing, so a task is in at
//     most one queue, once.
//   * kNotified owns one reference, taken by the wake that set it, also when
//     the task is running. So parking drops kRunning and the run's
//     reference in one atomic add, and requeues with kNotified's; and a
//     task that completes while woken drops kNotified's reference too.
//   * kRunning and kComplete are never set together.
//   * Nothing clears kComplete; waking a complete task is a no-op.
//   * Each reference (run queue, owned-task list, JoinHandle, each Waker) is
//     one kRefOne; the holder of the last one frees the cell.
#ifndef WEFT_RUNTIME_TASK_TASK_STATE_H_
#define WEFT_RUNTIME_TASK_TASK_STATE_H_

#include <atomic>
#include <cstdint>

namespace weft::internal {

// Whether the hot transitions check their preconditions (and abort with the
// state word when one is broken). On in every test build; off in -c opt
// (NDEBUG), where they would run on every run of every task: tokio makes
// the same choice with debug_assert!. The cross-thread
// transitions (compare-and-swap loops) always check: they are not that hot.
#ifdef NDEBUG
inline constexpr bool kCheckTransitions = false;
#else
inline constexpr bool kCheckTransitions = true;
#endif

class TaskState {
 public:
  static constexpr uint64_t kRunning = 1 << 0;
  static constexpr uint64_t kNotified = 1 << 1;
  static constexpr uint64_t kComplete = 1 << 2;
  static constexpr uint64_t kCancelled = 1 << 3;
  static constexpr uint64_t kJoinInterest = 1 << 4;
  static constexpr uint64_t kJoinWaker = 1 << 5;
  static constexpr uint64_t kFlagMask = (1 << 6) - 1;
  static constexpr uint64_t kRefOne = 1 << 6;

  // A new task is queued (kNotified) and has a JoinHandle. Its three
  // references: the run queue, the owned-task list, the JoinHandle.
  TaskState() : word_(kNotified | kJoinInterest | 3 * kRefOne) {}

  // Each transition's result says what the caller must do next; ignoring
  // it would lose a wake or a reference, hence [[nodiscard]].
  enum class ToRunning { kOk, kCancelled };
  struct Completed {
    bool join_interest;  // a JoinHandle wants the output
    bool woken;  // woken while running: kNotified's reference is the caller's
    bool join_waker;  // a join waker was published: the caller takes it
  };
  enum class ToIdle { kOk, kOkNotified };
  enum class ToNotified { kDoNothing, kSubmit };

  // Popped from the run queue: N -> R. kCancelled when an abort arrived while
  // it was queued: the caller destroys the frame instead of resuming it.
  // One atomic add: the precondition (N set, R and C clear) fixes the bits,
  // so "clear N, set R" is "subtract kNotified - kRunning".
  [[nodiscard]] ToRunning TransitionToRunning() {
    const uint64_t prev =
        word_.fetch_sub(kNotified - kRunning, std::memory_order_acq_rel);
    if (kCheckTransitions &&
        (prev & (kNotified | kRunning | kComplete)) != kNotified) {
      Corrupt("TransitionToRunning", prev);
    }
    return (prev & kCancelled) != 0 ? ToRunning::kCancelled : ToRunning::kOk;
  }

  // The coroutine parked: R -> idle, and the run's reference is dropped, in
  // one atomic add. kOkNotified when it was woken (or aborted) while
  // running: it stays kNotified and the caller queues it again with
  // kNotified's reference. The run's reference is never the last: the
  // owned-task list holds one until the task completes.
  [[nodiscard]] ToIdle TransitionToIdle() {
    const uint64_t prev =
        word_.fetch_sub(kRunning + kRefOne, std::memory_order_acq_rel);
    if (kCheckTransitions &&
        ((prev & kRunning) == 0 || (prev & ~kFlagMask) < 2 * kRefOne)) {
      Corrupt("TransitionToIdle", prev);
    }
    return (prev & kNotified) != 0 ? ToIdle::kOkNotified : ToIdle::kOk;
  }

  // A wake. kSubmit means the caller must put the task in a run queue,
  // with the reference this took for the queue. A task that is running,
  // already notified or complete needs nothing more.
  [[nodiscard]] ToNotified TransitionToNotified();

  enum class ToNotifiedByVal { kDoNothing, kSubmit, kDealloc };
  // A wake that consumes a reference (Waker::Wake() &&): kSubmit hands that
  // reference to the run queue; otherwise it is dropped, and kDealloc says
  // it was the last one.
  [[nodiscard]] ToNotifiedByVal TransitionToNotifiedByVal();

  // An abort. Sets kCancelled; returns kSubmit when the task must be queued
  // so that the executor sees the flag (it was idle).
  [[nodiscard]] ToNotified TransitionToNotifiedAndCancel();

  // The frame is gone (finished or cancelled): sets kComplete, clears
  // kRunning. An idle task's kNotified reference belongs to the queue it is
  // in; a running (or yielded) one's is handed to the caller (`woken`).
  [[nodiscard]] Completed TransitionToComplete();
  // The same for a task that is running (its coroutine just returned): one
  // atomic add, since R set and C clear fix the bits ("clear R, set C" is
  // "add kComplete - kRunning"); only the runtime thread changes R and C.
  [[nodiscard]] Completed TransitionToCompleteFromRunning() {
    const uint64_t prev =
        word_.fetch_add(kComplete - kRunning, std::memory_order_acq_rel);
    if (kCheckTransitions && (prev & (kRunning | kComplete)) != kRunning) {
      Corrupt("TransitionToCompleteFromRunning", prev);
    }
    return {(prev & kJoinInterest) != 0, (prev & kNotified) != 0,
            (prev & kJoinWaker) != 0};
  }

  // The awaiting JoinHandle publishes the join waker it just stored: sets
  // kJoinWaker unless the task completed meanwhile (false: the waker is
  // still the handle's, and the output is there to read).
  [[nodiscard]] bool SetJoinWaker();
  // The awaiting JoinHandle takes its waker back (it goes, cancelled):
  // clears kJoinWaker unless the task completed (false: the runtime owns
  // the waker and takes it out as it completes the task).
  [[nodiscard]] bool UnsetJoinWaker();

  // The JoinHandle is dropped. Returns true when the task had already
  // completed: then the handle, not the runtime, must drop the output, and
  // the flag can stay (the runtime read it when it completed the task).
  // Inline for that case, the usual one once the handle was awaited.
  [[nodiscard]] bool UnsetJoinInterest() {
    return IsComplete() || UnsetJoinInterestUnlessComplete();
  }

  void RefInc() { word_.fetch_add(kRefOne, std::memory_order_relaxed); }
  // Drops `n` references. Returns true when they were the last: the caller
  // frees the cell.
  [[nodiscard]] bool RefDec(uint64_t n = 1) {
    const uint64_t prev =
        word_.fetch_sub(n * kRefOne, std::memory_order_acq_rel);
    if (kCheckTransitions && prev < n * kRefOne) Corrupt("RefDec", prev);
    return (prev & ~kFlagMask) == n * kRefOne;
  }

  uint64_t Load() const { return word_.load(std::memory_order_acquire); }
  bool IsComplete() const { return (Load() & kComplete) != 0; }
  bool IsCancelled() const { return (Load() & kCancelled) != 0; }

 private:
  // UnsetJoinInterest's race with completion: clears the flag unless
  // kComplete is set meanwhile (then true, as above).
  [[nodiscard]] bool UnsetJoinInterestUnlessComplete();

  [[noreturn]] static void Corrupt(const char* transition, uint64_t word);

  std::atomic<uint64_t> word_;
};

// Inline: the wake of a Waker by value, what every leaf's event does. Each
// case has its own compare-and-swap, so that the usual one (an idle or
// running task) computes nothing but the new word before it and tells
// submit from do-nothing after it, from the word it replaced.
inline TaskState::ToNotifiedByVal TaskState::TransitionToNotifiedByVal() {
  uint64_t cur = word_.load(std::memory_order_acquire);
  for (;;) {
    if ((cur & (kNotified | kComplete)) == 0) [[likely]] {
      // Our reference becomes kNotified's: the queue's now (idle), or when
      // the running task parks (TransitionToIdle).
      if (word_.compare_exchange_weak(cur, cur | kNotified,
                                      std::memory_order_acq_rel)) {
        return (cur & kRunning) != 0 ? ToNotifiedByVal::kDoNothing
                                     : ToNotifiedByVal::kSubmit;
      }
    } else {
      // Nothing to do but drop our reference. A compare-and-swap, not a
      // plain decrement: if the task ran meanwhile (kNotified cleared), it
      // may have missed what this wake announces, so the loop goes round
      // and wakes it again.
      if (cur < kRefOne) Corrupt("TransitionToNotifiedByVal", cur);
      if (word_.compare_exchange_weak(cur, cur - kRefOne,
                                      std::memory_order_acq_rel)) {
        return ((cur - kRefOne) & ~kFlagMask) == 0
                   ? ToNotifiedByVal::kDealloc
                   : ToNotifiedByVal::kDoNothing;
      }
    }
  }
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_TASK_STATE_H_
