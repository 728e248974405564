#include "runtime/task/waker.h"

#include "runtime/task/abort_handle.h"
#include "runtime/task/schedule.h"
#include "runtime/task/task_header.h"

namespace weft {

Waker Waker::Clone() const noexcept {
  if (task_ != nullptr) task_->state.RefInc();
  return Waker(task_);
}

void Waker::WakeByRef() const noexcept {
  if (task_ == nullptr) return;
  if (task_->state.TransitionToNotified() ==
      internal::TaskState::ToNotified::kSubmit) {
    internal::Schedule(task_);  // the transition counted the queue's ref
  }
}

void Waker::WakeByValue(internal::TaskHeader* task) noexcept {
  switch (task->state.TransitionToNotifiedByVal()) {
    case internal::TaskState::ToNotifiedByVal::kSubmit:
      internal::Schedule(task);  // our reference went to the queue
      break;
    case internal::TaskState::ToNotifiedByVal::kDealloc:
      task->Dealloc();
      break;
    case internal::TaskState::ToNotifiedByVal::kDoNothing:
      break;
  }
}

void Waker::Release(internal::TaskHeader* task) noexcept { task->Release(); }

bool internal::WakesAbortedTask(const Waker& waker) noexcept {
  return waker.task_ != nullptr && waker.task_->state.IsCancelled();
}

void internal::AbortTask(TaskHeader* task) noexcept {
  if (task->state.TransitionToNotifiedAndCancel() ==
      TaskState::ToNotified::kSubmit) {
    Schedule(task);  // the transition counted the queue's reference
  }
}

}  // namespace weft
