#include "runtime/sync/notify.h"

#include <utility>

#include "runtime/task/leaf.h"

namespace weft {

Notify::~Notify() {
  NotifyWaiters();
  // Selected waiters keep the notification they were given; there is no
  // one left to forward it to, and they must not touch this Notify again.
  while (Awaiter* waiter = selected_.PopFront()) {
    waiter->state_ = Awaiter::State::kDone;
  }
}

Notify::Awaiter::Awaiter(Awaiter&& other) noexcept : notify_(other.notify_) {
  if (other.state_ != State::kInit) {
    internal::AwaiterMovedAfterAwait("Notify::Notified");
  }
}

Notify::Awaiter::~Awaiter() {
  switch (state_) {
    case State::kWaiting:
      notify_->waiting_.Remove(this);
      break;
    case State::kSelected:
      notify_->selected_.Remove(this);
      notify_->NotifyOne();  // the notification goes on, not lost
      break;
    case State::kInit:
    case State::kDone:
      break;
  }
}

bool Notify::Awaiter::await_ready() {
  if (!notify_->permit_) return false;
  notify_->permit_ = false;
  state_ = State::kDone;
  return true;
}

void Notify::Awaiter::await_suspend(std::coroutine_handle<> self) {
  internal::ParkedTask parked(self, "Notify::Notified");
  waker_ = parked.NewWaker();
  state_ = State::kWaiting;
  notify_->waiting_.PushBack(this);
  ready = [](const internal::ReadyCheck* self) {
    return static_cast<const Awaiter*>(self)->state_ != State::kWaiting;
  };
  parked.WaitFor(this);
}

void Notify::Awaiter::await_resume() {
  if (state_ == State::kSelected) notify_->selected_.Remove(this);
  state_ = State::kDone;
}

void Notify::NotifyOne() {
  if (Awaiter* waiter = waiting_.PopFront()) {
    waiter->state_ = Awaiter::State::kSelected;
    selected_.PushBack(waiter);
    std::move(waiter->waker_).Wake();
  } else {
    permit_ = true;
  }
}

void Notify::NotifyWaiters() {
  // Only those waiting now: a task that waits again after being woken is
  // not woken twice by this call.
  List woken = std::exchange(waiting_, List{});
  while (Awaiter* waiter = woken.PopFront()) {
    waiter->state_ = Awaiter::State::kDone;
    std::move(waiter->waker_).Wake();
  }
}

void Notify::List::PushBack(Awaiter* waiter) {
  waiter->prev_ = tail;
  waiter->next_ = nullptr;
  if (tail != nullptr) {
    tail->next_ = waiter;
  } else {
    head = waiter;
  }
  tail = waiter;
}

void Notify::List::Remove(Awaiter* waiter) {
  if (waiter->prev_ != nullptr) {
    waiter->prev_->next_ = waiter->next_;
  } else {
    head = waiter->next_;
  }
  if (waiter->next_ != nullptr) {
    waiter->next_->prev_ = waiter->prev_;
  } else {
    tail = waiter->prev_;
  }
  waiter->prev_ = waiter->next_ = nullptr;
}

Notify::Awaiter* Notify::List::PopFront() {
  Awaiter* waiter = head;
  if (waiter != nullptr) Remove(waiter);
  return waiter;
}

}  // namespace weft
