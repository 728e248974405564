#include "runtime/notify.h"

#include <utility>

#include "runtime/park.h"

namespace weft {

Notify::~Notify() { NotifyWaiters(); }

bool Notify::Awaiter::await_ready() {
  if (!notify_->permit_) return false;
  notify_->permit_ = false;
  return true;
}

void Notify::Awaiter::await_suspend(std::coroutine_handle<> self) {
  internal::TaskHeader& task = internal::Park(self, "Notify::Notified");
  waker_ = internal::WakerFor(task);
  notify_->Link(this);
  // Resume only once a notifier unlinked us: a stray wake stays parked.
  ready = [](const internal::ReadyCheck* self) {
    return !static_cast<const Awaiter*>(self)->linked();
  };
  task.ready_check = this;
}

void Notify::NotifyOne() {
  if (Awaiter* waiter = PopFront()) {
    std::move(waiter->waker_).Wake();
  } else {
    permit_ = true;
  }
}

void Notify::NotifyWaiters() {
  // Only those waiting now: a task that waits again after being woken is
  // not woken twice by this call.
  Awaiter* waiters = std::exchange(head_, nullptr);
  tail_ = nullptr;
  while (waiters != nullptr) {
    Awaiter* next = waiters->next_;
    waiters->prev_ = waiters->next_ = nullptr;
    std::move(waiters->waker_).Wake();
    waiters = next;
  }
}

void Notify::Link(Awaiter* waiter) {
  waiter->prev_ = tail_;
  waiter->next_ = nullptr;
  if (tail_ != nullptr) {
    tail_->next_ = waiter;
  } else {
    head_ = waiter;
  }
  tail_ = waiter;
}

void Notify::Unlink(Awaiter* waiter) {
  if (waiter->prev_ != nullptr) {
    waiter->prev_->next_ = waiter->next_;
  } else {
    head_ = waiter->next_;
  }
  if (waiter->next_ != nullptr) {
    waiter->next_->prev_ = waiter->prev_;
  } else {
    tail_ = waiter->prev_;
  }
  waiter->prev_ = waiter->next_ = nullptr;
}

Notify::Awaiter* Notify::PopFront() {
  Awaiter* waiter = head_;
  if (waiter != nullptr) Unlink(waiter);
  return waiter;
}

}  // namespace weft
