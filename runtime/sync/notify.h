// Notify: wake tasks waiting for an event (tokio's sync::Notify, single-
// threaded).
//
//   co_await notify.Notified();   // parks until notified
//   notify.NotifyOne();           // wakes the longest waiter, or stores a
//                                 // permit the next Notified() consumes
//   notify.NotifyWaiters();       // wakes every current waiter, no permit
//
// A notification is never lost to cancellation: a waiter that NotifyOne()
// selected but that is destroyed before it ran (its task aborted, its
// Timeout expired) passes the notification on to the next waiter, or
// leaves the permit, as tokio does. NotifyWaiters() wakes only the tasks
// waiting at the time, so there is nothing to pass on.
//
// Waiters are nodes inside their awaitables (in the waiting frames), linked
// in FIFO order: waiting allocates nothing. Runtime thread only: to wake a
// task from another thread, use a Waker.
#ifndef WEFT_RUNTIME_SYNC_NOTIFY_H_
#define WEFT_RUNTIME_SYNC_NOTIFY_H_

#include <coroutine>
#include <cstdint>

#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

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
  bool has_waiters() const { return waiting_.head != nullptr; }

 private:
  friend class Awaiter;
  // An intrusive FIFO of awaiters, linked through their prev_/next_.
  struct List {
    Awaiter* head = nullptr;
    Awaiter* tail = nullptr;
    void PushBack(Awaiter* waiter);
    void Remove(Awaiter* waiter);
    Awaiter* PopFront();
  };

  List waiting_;   // parked, FIFO
  List selected_;  // picked by NotifyOne, not yet resumed
  bool permit_ = false;
};

// One await of Notified(). States and transitions:
//
//   kInit ──permit available──► kDone
//   kInit ──await_suspend──► kWaiting     linked in waiting_, holds a waker
//   kWaiting ──NotifyOne──► kSelected     moved to selected_, woken
//   kWaiting ──NotifyWaiters, ~Notify──► kDone   unlinked, woken
//   kSelected ──await_resume──► kDone     unlinked from selected_
//   kSelected ──~Notify──► kDone          the notification stays its own
//
// Destroyed in kWaiting: unlinks itself, so a notification is never spent
// on a cancelled task. Destroyed in kSelected: unlinks itself and calls
// NotifyOne(), forwarding the notification it was given but never used.
// The executor resumes the task only once the state has left kWaiting (the
// ready check), so a stray wake leaves it waiting.
//
// Movable before it is awaited (Timeout and Select take awaitables by
// value), never after: the lists point at it.
class Notify::Awaiter : private internal::ReadyCheck {
 public:
  explicit Awaiter(Notify* notify) : notify_(notify) {}
  Awaiter(Awaiter&& other) noexcept;
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  void await_resume();

 private:
  friend class Notify;
  enum class State : uint8_t { kInit, kWaiting, kSelected, kDone };

  Notify* notify_;
  Awaiter* prev_ = nullptr;
  Awaiter* next_ = nullptr;
  Waker waker_;
  State state_ = State::kInit;
};

inline Notify::Awaiter Notify::Notified() { return Awaiter(this); }

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_NOTIFY_H_
