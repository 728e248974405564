#include "runtime/task/branches.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "runtime/task/context.h"
#include "runtime/task/leaf.h"

namespace weft::internal {

bool Branch::Ready() {
  const ReadyCheck* check = site_.ready_check;
  if (check == nullptr || check == YieldMark()) return true;
  if (!check->ready(check)) return false;
  site_.ready_check = nullptr;  // asked once, as the executor does
  return true;
}

bool Branch::Yielded() const { return site_.ready_check == YieldMark(); }

bool Branch::Step() {
  TaskHeader& task = CurrentTask("Select");
  std::coroutine_handle<> next = std::exchange(site_.resume_point, {});
  site_.ready_check = nullptr;
  // The header's site is free while the task runs (the executor emptied it
  // before resuming): the branch's leaves park into it, as in any task,
  // and the branch takes it over below. A Timeout inside the branch finds
  // the branch's own site through the context (CurrentParkSite).
  ParkSite* const outer = std::exchange(tls_context.branch_site, &site_);
  // The executor's trampoline (Executor::RunTask), for this chain alone:
  // its root has no continuation, so finishing leaves `next` empty too.
  for (;;) {
    next.resume();
    next = tls_context.next;
    if (!next) break;
    tls_context.next = {};
  }
  tls_context.branch_site = outer;
  if (frame_.done()) {
    finished_ = true;
    return true;
  }
  site_ = std::exchange(task.park, ParkSite{});
  if (!site_.resume_point) [[unlikely]] {
    std::fprintf(stderr,
                 "weft: a Select or Join branch suspended in an awaitable "
                 "that is not weft's (it did not record where to resume)\n");
    std::abort();
  }
  return false;
}

void Branch::Cancel() noexcept {
  if (!frame_) return;
  const std::coroutine_handle<> frame = std::exchange(frame_, {});
  if (finished_) {
    // A result nobody takes; an exception in it is dropped with it.
    (void)PromiseOf(frame).TakeException();
    frame.destroy();
  } else if (site_.resume_point == frame) {
    frame.destroy();  // never started
  } else {
    DestroyChain(site_.resume_point, frame);
  }
}

namespace {

bool AllFinished(std::span<const Branch> branches) {
  for (const Branch& branch : branches) {
    if (!branch.finished()) return false;
  }
  return true;
}

}  // namespace

size_t FairStart(size_t n) {
  // xorshift, per thread: not random enough for anything but spreading
  // wins, which is all select! asks of it.
  static thread_local uint32_t state = 2463534242u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state % n;
}

std::optional<size_t> StepBranches(std::span<Branch> branches, bool biased) {
  const size_t n = branches.size();
  const size_t start = biased ? 0 : FairStart(n);
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (start + k) % n;
    Branch& branch = branches[i];
    if (branch.finished() || !branch.Ready()) continue;
    if (branch.Step() && branch.Stops()) return i;
  }
  if (AllFinished(branches)) return n;
  return std::nullopt;
}

void ParkBranches::await_suspend(std::coroutine_handle<> self) {
  ParkedTask parked(self, "Select");
  for (const Branch& branch : branches_) {
    // Its leaf had its event but no budget left: yield, as it would.
    if (!branch.finished() && branch.Yielded()) return parked.Yield();
  }
  ready = [](const ReadyCheck* check) {
    for (Branch& branch : static_cast<const ParkBranches*>(check)->branches_) {
      if (!branch.finished() && branch.Ready()) return true;
    }
    return false;
  };
  parked.WaitFor(this);
}

}  // namespace weft::internal
