// Several await chains in one task: the engine under Select and Join
// (select.h, join.h).
//
// tokio's select! and join! poll several futures inside one task. A weft
// task has one park site (where the executor resumes it, task_header.h),
// so each branch here is a chain of its own, a Task frame with a ParkSite
// of its own, and the task's own site points at the driver (the coroutine
// that owns the branches: StepBranches below), which steps them itself:
//
//   * Step resumes a branch where it rests, with the trampoline loop the
//     executor uses, until the chain parks again or its root finishes. Its
//     leaves park it as they park any task (ParkedTask, leaf.h), writing
//     the header's site; Step moves that into the branch's own.
//   * Every leaf's Waker wakes the whole task. The task parks with a ready
//     check that asks the branches' checks, so a wake for nothing leaves it
//     parked, and the driver then steps the branches whose event came
//     (and those whose leaves have no check and simply retry).
//   * Losers are destroyed where they wait (DestroyChain), innermost first:
//     their leaves' destructors unlink them, so what they waited for stays
//     for the next taker (a message, a permit, a notification).
//
// States of a Branch:
//
//   new ──Step──► parked ──Ready, Step──► parked ... ──Step──► finished
//    │               │
//    └───Cancel──────┴──────────────► cancelled (frames destroyed)
//
// Invariants: only the task that owns the branches steps them, on its
// thread, one at a time; between steps a branch's chain is parked at
// site.resume_point (the root frame itself while new). A ready check that
// said yes is cleared, as the executor clears a task's, so it is never
// asked twice (Timeout's is not idempotent).
#ifndef WEFT_RUNTIME_TASK_BRANCHES_H_
#define WEFT_RUNTIME_TASK_BRANCHES_H_

#include <coroutine>
#include <cstddef>
#include <optional>
#include <span>

#include "runtime/task/task.h"
#include "runtime/task/task_header.h"

namespace weft::internal {

class Branch {
 public:
  // `finished_stops`: whether this branch finishing ends the whole drive
  // (a Select: always; a Join: only when it failed).
  using StopCheck = bool (*)(std::coroutine_handle<> frame);

  // Takes over `frame`, the root of a Task that has not started.
  Branch(std::coroutine_handle<> frame, StopCheck stops)
      : frame_(frame), stops_(stops) {
    site_.resume_point = frame;
  }
  Branch(const Branch&) = delete;
  Branch& operator=(const Branch&) = delete;
  ~Branch() { Cancel(); }

  bool finished() const { return finished_; }
  // Once finished: whether that ends the drive.
  bool Stops() const { return stops_(frame_); }
  // The root frame, to take the result from once finished.
  std::coroutine_handle<> frame() const { return frame_; }

  // Whether stepping it may make progress: new, yielded, parked in a leaf
  // without a ready check (it retries by itself), or its leaf's check says
  // yes (then cleared).
  bool Ready();
  bool Yielded() const;
  // Resumes the chain until it parks again or finishes; true if finished.
  bool Step();
  // Destroys the chain where it waits, unless it finished (its result is
  // then destroyed with its frame). Idempotent.
  void Cancel() noexcept;

 private:
  std::coroutine_handle<> frame_;  // owned; null once destroyed
  StopCheck stops_;
  ParkSite site_;
  bool finished_ = false;
};

// One pass over `branches`: steps each ready one, starting at the first
// if `biased`, else at a pseudo-random one (so no branch starves another:
// tokio's select! default), until one that finished Stops(). Returns its
// index, or branches.size() once all finished, or nullopt when the task
// must wait (co_await ParkBranches). The unfinished ones stay parked; their
// owner cancels them. The drive loop, in the coroutine that owns the
// branches (a frame of its own would cost an allocation per Select):
//
//   std::optional<size_t> stopped;
//   while (!(stopped = StepBranches(branches, biased))) {
//     co_await ParkBranches(branches);
//   }
std::optional<size_t> StepBranches(std::span<Branch> branches, bool biased);

// Cancels every branch but `stopped`, whose result then ends the drive,
// before the caller goes on.
inline void CancelAllBut(std::span<Branch> branches, size_t stopped) {
  for (size_t i = 0; i < branches.size(); ++i) {
    if (i != stopped) branches[i].Cancel();
  }
}

// Where an unbiased round over `n` branches starts: pseudo-random.
size_t FairStart(size_t n);

// Parks the task until some branch's event came. No Waker of its own:
// every branch's leaf holds one for this task. Yields instead if a branch
// yielded (its leaf had its event but no budget left).
class ParkBranches : private ReadyCheck {
 public:
  explicit ParkBranches(std::span<Branch> branches) : branches_(branches) {}
  ParkBranches(const ParkBranches&) = delete;
  ParkBranches& operator=(const ParkBranches&) = delete;

  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self);
  void await_resume() {}

 private:
  std::span<Branch> branches_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_BRANCHES_H_
