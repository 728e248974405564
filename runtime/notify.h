// Notify: wake tasks waiting for an event (tokio's sync::Notify, single-
// threaded).
//
//   co_await notify.Notified();   // parks until notified
//   notify.NotifyOne();           // wakes the longest waiter, or stores a
//                                 // permit the next Notified() consumes
//   notify.NotifyWaiters();       // wakes every current waiter, no permit
//
// Waiters are nodes inside their awaitables (in the waiting frames), linked
// in FIFO order: waiting allocates nothing. A waiter destroyed while parked
// (its task was cancelled) unlinks itself. Runtime thread only: to wake a
// task from another thread, use a Waker.
#ifndef WEFT_RUNTIME_NOTIFY_H_
#define WEFT_RUNTIME_NOTIFY_H_

#include <coroutine>

#include "runtime/task_header.h"
#include "runtime/waker.h"

namespace weft {

class Notify {
 public:
  Notify() = default;
  Notify(const Notify&) = delete;
  Notify& operator=(const Notify&) = delete;
  ~Notify();  // waiters still parked are woken (they see a notification)

  class Awaiter;
  Awaiter Notified();
  void NotifyOne();
  void NotifyWaiters();
  bool has_waiters() const { return head_ != nullptr; }

 private:
  friend class Awaiter;
  void Link(Awaiter* waiter);
  void Unlink(Awaiter* waiter);
  Awaiter* PopFront();

  Awaiter* head_ = nullptr;
  Awaiter* tail_ = nullptr;
  bool permit_ = false;
};

// States: created -> (permit available: ready at once) or parked (linked,
// holding a waker) -> notified (unlinked by the notifier, woken) -> resumed.
// Destroyed while parked: unlinks itself, so a notification is never spent
// on a cancelled task.
//
// Invariant: the awaiter is linked exactly while it holds a waker. Link
// follows the waker's store, and whoever unlinks it wakes (so empties) the
// waker right after, or is its destructor; so the waker doubles as the
// "linked" flag, 8 bytes less in every waiting task's frame.
class Notify::Awaiter : private internal::ReadyCheck {
 public:
  explicit Awaiter(Notify* notify) : notify_(notify) {}
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter() {
    if (linked()) notify_->Unlink(this);
  }

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  void await_resume() {}

 private:
  friend class Notify;
  bool linked() const { return static_cast<bool>(waker_); }

  Notify* notify_;
  Awaiter* prev_ = nullptr;
  Awaiter* next_ = nullptr;
  Waker waker_;
};

inline Notify::Awaiter Notify::Notified() { return Awaiter(this); }

}  // namespace weft

#endif  // WEFT_RUNTIME_NOTIFY_H_
