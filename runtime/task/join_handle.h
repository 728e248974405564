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
// Move-only. The output is produced on the runtime thread; a handle is
// awaited from a task on the same runtime (it may be dropped, and Abort()
// called, on any thread).
//
// An empty handle (default-constructed, or moved from) refers to no task:
// valid() is false, IsFinished() is true (there is nothing left to wait
// for), Abort() and Detach() do nothing, GetAbortHandle() gives an empty
// AbortHandle, and awaiting it throws std::logic_error saying so.
//
// Join protocol (with task_state.h): the runtime writes the output, then
// sets kComplete; the handle reads the output only after seeing kComplete.
// Whichever of Finish() and ~JoinHandle comes second, by the atomic order of
// TransitionToComplete and UnsetJoinInterest, destroys the output.
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
class JoinHandle<T>::Awaiter : private internal::ReadyCheck {
 public:
  explicit Awaiter(internal::TaskCell<T>* cell) : cell_(cell) {}
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter() {
    // Cancelled while parked: take our waker back out of the joined task.
    if (waiter_ != nullptr && cell_->join_waker.WillWake(waiter_)) {
      cell_->join_waker.Reset();
    }
  }

  bool await_ready() { return internal::FinishNow(cell_->state.IsComplete()); }

  void await_suspend(std::coroutine_handle<> self) {
    internal::ParkedTask parked(self, "JoinHandle");
    if (parked.YieldIf(cell_->state.IsComplete())) return;
    if (!cell_->join_waker.WillWake(&parked.task())) {
      cell_->join_waker = parked.NewWaker();
    }
    ready = [](const internal::ReadyCheck* self) {
      return static_cast<const Awaiter*>(self)->cell_->state.IsComplete();
    };
    parked.WaitFor(this);
    waiter_ = &parked.task();
  }

  JoinResult<T> await_resume() {
    waiter_ = nullptr;
    if (!cell_->HasOutput()) {
      throw std::logic_error(
          "weft: JoinHandle awaited after its output "
          "was taken");
    }
    return cell_->TakeOutput();
  }

 private:
  internal::TaskCell<T>* cell_;
  internal::TaskHeader* waiter_ = nullptr;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_JOIN_HANDLE_H_
