// Notify: wake tasks waiting for an event (tokio's sync::Notify, single-
// threaded).
//
//   weft::Notify notify;
//   notify.NotifyOne();           // wakes the longest waiter, or stores a
//                                 // permit the next Notified() consumes
//   co_await notify.Notified();   // parks until notified (here: at once)
//   notify.NotifyWaiters();       // wakes every current waiter, no permit
//
// A Notified() receives every NotifyWaiters() made after it was created,
// whether or not it was awaited yet (tokio's notify_waiters), so the
// pattern that checks a condition between creating and awaiting loses no
// wake-up:
//
//   weft::Notify notify;
//   bool ready = false;           // set by whoever calls NotifyWaiters()
//   auto notified = notify.Notified();
//   if (!ready) co_await notified;   // a NotifyWaiters() since: at once
//
// A NotifyOne() picks only among waiters that are awaiting, or that were
// Enable()d (tokio's Notified::enable): Enable() queues it at once.
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
//
// Lifetime: a Notified() borrows its Notify. Destroying a Notify while a
// task is parked on it aborts, saying so; a waiter already woken by it is
// left alone.
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
  ~Notify();  // aborts if a task is still parked here (see Lifetime)

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

  List waiting_;   // parked or enabled, FIFO
  List selected_;  // picked by NotifyOne, not yet resumed
  // How many NotifyWaiters() calls there were: a Notified() created before
  // the latest one was notified by it.
  uint64_t waiters_calls_ = 0;
  bool permit_ = false;
};

// One Notified(). States and transitions:
//
//   kInit ──a NotifyWaiters since creation, or a permit──► kDone
//   kInit ──await_suspend, Enable──► kWaiting   linked in waiting_; holds a
//                                     waker once awaited (none if only
//                                     enabled)
//   kWaiting ──NotifyOne──► kSelected     moved to selected_, woken
//   kWaiting ──NotifyWaiters──► kDone     unlinked, woken
//   kSelected ──await_ready/await_resume──► kDone   unlinked from selected_
//   kSelected ──~Notify──► kDone          the notification stays its own
//
// "Created before a NotifyWaiters()" is a count: calls_seen_ is the
// Notify's waiters_calls_ at creation, and a kInit awaiter whose count is
// behind was notified.
// Destroyed in kWaiting: unlinks itself, so a notification is never spent
// on a cancelled task. Destroyed in kSelected: unlinks itself and calls
// NotifyOne(), forwarding the notification it was given but never used.
// The executor resumes the task only once the state has left kWaiting (the
// ready check), so a stray wake leaves it waiting.
//
// Movable before it is awaited or enabled (Timeout and Select take
// awaitables by value), never after: the lists point at it.
class [[nodiscard]] [[gnu::warn_unused]] Notify::Awaiter
    : private internal::ReadyCheck {
 public:
  explicit Awaiter(Notify* notify)
      : notify_(notify), calls_seen_(notify->waiters_calls_) {}
  Awaiter(Awaiter&& other) noexcept;
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter();

  // Queues this waiter now, before it is awaited, so that a NotifyOne()
  // may pick it too. True if it is notified already (awaiting it then
  // completes at once).
  bool Enable();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  void await_resume();

 private:
  friend class Notify;
  enum class State : uint8_t { kInit, kWaiting, kSelected, kDone };

  // kInit: notified already (a NotifyWaiters since creation, or a
  // permit, which it takes)? Moves to kDone if so.
  bool NotifiedSinceCreation();

  Notify* notify_;
  Awaiter* prev_ = nullptr;
  Awaiter* next_ = nullptr;
  Waker waker_;
  uint64_t calls_seen_;
  State state_ = State::kInit;
};

inline Notify::Awaiter Notify::Notified() { return Awaiter(this); }

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_NOTIFY_H_
