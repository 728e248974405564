// JoinHandle<T>: the spawner's side of a spawned task.
//
//   co_await handle   waits for the task; yields JoinResult<T> (join_error.h)
//   Abort()           cancels it: it is never resumed again and its frame is
//                     destroyed by the executor; joining reports cancelled.
//                     No effect on a finished task, whose output stays.
//   IsFinished()      whether the task has completed (by any outcome)
//   GetAbortHandle()  a copyable AbortHandle (abort_handle.h) for the task,
//                     usable from any thread, after this handle is gone too
//   destructor        detaches: the task runs on; its output is dropped
//
// Move-only. The output is produced on the runtime thread; the handle may
// be awaited by a task on any runtime (tokio's JoinHandle is Send), and
// dropped, and Abort() called, on any thread.
//
// An empty handle (default-constructed, or moved from) refers to no task:
// valid() is false, IsFinished() is true (there is nothing left to wait
// for), Abort() and Detach() do nothing, GetAbortHandle() gives an empty
// AbortHandle, and awaiting it throws std::logic_error saying so.
//
// Join protocol (with task_state.h). The output:
//   1. The runtime writes the output, then sets kComplete; the handle
//      reads it only after seeing kComplete.
//   2. Whichever of Finish() and ~JoinHandle comes second, by the atomic
//      order of TransitionToComplete and UnsetJoinInterest, destroys it.
// The join waker (TaskHeader::join_waker), which lets the handle be
// awaited from another thread:
//   3. While kJoinWaker is clear, only the awaiting handle touches the
//      slot; it stores its waker there, then sets kJoinWaker, unless the
//      task completed meanwhile (then it keeps the slot and reads the
//      output at once).
//   4. While kJoinWaker is set and the task not complete, only the
//      runtime may read the slot. An awaiter that goes (cancelled) first
//      clears kJoinWaker, unless the task completed: then it leaves the
//      slot alone.
//   5. Completing the task, the runtime takes the waker out and wakes it
//      exactly when kJoinWaker was set at kComplete (Executor::Finish).
// One parked await costs one compare-and-swap (3); tokio spends the same.
#ifndef WEFT_RUNTIME_TASK_JOIN_HANDLE_H_
#define WEFT_RUNTIME_TASK_JOIN_HANDLE_H_

#include <coroutine>
#include <stdexcept>
#include <utility>

#include "runtime/task/abort_handle.h"
#include "runtime/task/join_error.h"
#include "runtime/task/leaf.h"
#include "runtime/task/schedule.h"
#include "runtime/task/task_cell.h"

namespace weft {

class Runtime;

template <class T>
class JoinHandle {
 public:
  JoinHandle() = default;
  // Adopts the cell's join-handle reference (Spawn does this).
  explicit JoinHandle(internal::TaskCell<T>* cell) : cell_(cell) {}
  JoinHandle(JoinHandle&& other) noexcept
      : cell_(std::exchange(other.cell_, nullptr)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      Detach();
      cell_ = std::exchange(other.cell_, nullptr);
    }
    return *this;
  }
  ~JoinHandle() { Detach(); }

  bool valid() const { return cell_ != nullptr; }
  bool IsFinished() const {
    return cell_ == nullptr || cell_->state.IsComplete();
  }

  void Abort() {
    if (cell_ != nullptr) internal::AbortTask(cell_);
  }
  weft::AbortHandle GetAbortHandle() const { return weft::AbortHandle(cell_); }

  // Drops the handle; the task runs on.
  void Detach() {
    if (cell_ == nullptr) return;
    internal::TaskCell<T>* cell = std::exchange(cell_, nullptr);
    if (cell->state.UnsetJoinInterest()) {
      // Completed already: the output is ours to drop.
      cell->ClearOutput();
    }
    cell->Release();
  }

  class Awaiter;
  Awaiter operator co_await() & { return Awaiter(NonEmpty()); }
  Awaiter operator co_await() && { return Awaiter(NonEmpty()); }

 private:
  friend class Runtime;
  // The cell to await; an empty handle throws here, before any awaiter.
  internal::TaskCell<T>* NonEmpty() const {
    if (cell_ == nullptr) [[unlikely]]
      internal::ThrowEmptyJoinHandle();
    return cell_;
  }
  internal::TaskCell<T>* cell_ = nullptr;
};

// Parks the awaiting task until the joined task completes. The join waker
// is the cell's single waiter slot; a wake from anything else is ignored
// (ready_check), so the awaiter resumes only on completion.
template <class T>
class [[nodiscard]] [[gnu::warn_unused]] JoinHandle<T>::Awaiter
    : private internal::ReadyCheck {
 public:
  explicit Awaiter(internal::TaskCell<T>* cell) : cell_(cell) {}
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter() {
    // Cancelled while parked: take our waker back out of the joined task,
    // unless it completed and the runtime owns it (rules 4 and 5).
    if (published_ && cell_->state.UnsetJoinWaker()) cell_->join_waker.Reset();
  }

  bool await_ready() { return internal::FinishNow(cell_->state.IsComplete()); }

  void await_suspend(std::coroutine_handle<> self) {
    internal::ParkedTask parked(self, "JoinHandle");
    if (parked.YieldIf(cell_->state.IsComplete())) return;
    cell_->join_waker = parked.NewWaker();  // rule 3: the slot is ours
    if (!cell_->state.SetJoinWaker()) {
      // Completed meanwhile (on its own runtime's thread): read it now.
      cell_->join_waker.Reset();
      parked.Yield();
      return;
    }
    published_ = true;
    ready = [](const internal::ReadyCheck* self) {
      return static_cast<const Awaiter*>(self)->cell_->state.IsComplete();
    };
    parked.WaitFor(this);
  }

  JoinResult<T> await_resume() {
    // Complete: the runtime took the waker, or is taking it (rule 5).
    published_ = false;
    if (!cell_->HasOutput()) {
      throw std::logic_error(
          "weft: JoinHandle awaited after its output "
          "was taken");
    }
    return cell_->TakeOutput();
  }

 private:
  internal::TaskCell<T>* cell_;
  bool published_ = false;  // this await set kJoinWaker
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_JOIN_HANDLE_H_
