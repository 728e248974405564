#include "runtime/sync/notify.h"

#include <utility>

#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"

namespace weft {

Notify::~Notify() {
  for (Awaiter* waiter = waiting_.head; waiter != nullptr;
       waiter = waiter->next_) {
    // A parked task would resume into a dead Notify. Harmless, and let go
    // below: an enabled Notified() never awaited, which only points here,
    // and an aborted task, which is only ever destroyed.
    if (waiter->waker_ && !internal::WakesAbortedTask(waiter->waker_)) {
      internal::MisuseAbort(
          "Notify destroyed while a task waits on it: it must outlive its "
          "waiters (put it in state they share, e.g. a std::shared_ptr)");
    }
  }
  while (Awaiter* waiter = waiting_.PopFront()) {
    waiter->state_ = Awaiter::State::kDone;
  }
  // Selected waiters keep the notification they were given; there is no
  // one left to forward it to, and they must not touch this Notify again.
  while (Awaiter* waiter = selected_.PopFront()) {
    waiter->state_ = Awaiter::State::kDone;
  }
}

Notify::Awaiter::Awaiter(Awaiter&& other) noexcept
    : notify_(other.notify_), calls_seen_(other.calls_seen_) {
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

bool Notify::Awaiter::NotifiedSinceCreation() {
  if (calls_seen_ != notify_->waiters_calls_) {
    state_ = State::kDone;
  } else if (notify_->permit_) {
    notify_->permit_ = false;
    state_ = State::kDone;
  }
  return state_ == State::kDone;
}

bool Notify::Awaiter::Enable() {
  switch (state_) {
    case State::kInit:
      if (NotifiedSinceCreation()) return true;
      state_ = State::kWaiting;
      notify_->waiting_.PushBack(this);
      return false;
    case State::kWaiting:
      return false;
    case State::kSelected:
    case State::kDone:
      return true;
  }
  return false;
}

bool Notify::Awaiter::await_ready() {
  switch (state_) {
    case State::kInit:
      return NotifiedSinceCreation();
    case State::kWaiting:  // enabled, not notified yet
      return false;
    case State::kSelected:  // enabled, then picked by a NotifyOne
      await_resume();
      return true;
    case State::kDone:
      return true;
  }
  return false;
}

void Notify::Awaiter::await_suspend(std::coroutine_handle<> self) {
  internal::ParkedTask parked(self, "Notify::Notified");
  waker_ = parked.NewWaker();
  if (state_ == State::kInit) {
    state_ = State::kWaiting;
    notify_->waiting_.PushBack(this);
  }
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
  // Every Notified() created before now, awaited or not, is notified: the
  // queued ones here, the others by the count (NotifiedSinceCreation).
  ++waiters_calls_;
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
