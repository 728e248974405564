// Mutex<T>: an async lock around a value (tokio's sync::Mutex).
//
//   weft::Mutex<std::map<std::string, int>> db;
//   {
//     auto guard = co_await db.Lock();   // waits, without blocking the thread
//     (*guard)["answer"] = 42;
//   }                                    // unlocked here
//
// Fair: tasks get the lock in the order they asked for it (it is a
// Semaphore of one permit, as in tokio). A Lock() cancelled while it waits
// loses nothing and takes nothing. Hold a guard across awaits freely: that
// is what this lock is for. For data only touched between awaits, a
// std::mutex (or no lock, on one runtime thread) is cheaper, as tokio's
// "Shared state" chapter says.
//
// Threads: Lock() and TryLock() may be called from any thread's tasks; the
// value is reached only through a guard. The mutex must outlive its guards.
#ifndef WEFT_RUNTIME_SYNC_MUTEX_H_
#define WEFT_RUNTIME_SYNC_MUTEX_H_

#include <coroutine>
#include <optional>
#include <utility>

#include "runtime/sync/semaphore.h"

namespace weft {

template <class T>
class Mutex {
 public:
  explicit Mutex(T value = T()) : value_(std::move(value)) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // The lock, held: the value is reachable through it until it goes.
  class Guard {
   public:
    Guard(Guard&&) noexcept = default;
    Guard& operator=(Guard&&) noexcept = default;
    T& operator*() const { return mutex_->value_; }
    T* operator->() const { return &mutex_->value_; }

   private:
    friend class Mutex;
    Guard(Mutex* mutex, Semaphore::Permit permit)
        : mutex_(mutex), permit_(std::move(permit)) {}
    Mutex* mutex_;
    Semaphore::Permit permit_;
  };

  // Awaiting it gives the Guard.
  class LockAwaiter {
   public:
    explicit LockAwaiter(Mutex* mutex)
        : mutex_(mutex), acquire_(mutex->permit_.Acquire()) {}
    bool await_ready() { return acquire_.await_ready(); }
    void await_suspend(std::coroutine_handle<> self) {
      acquire_.await_suspend(self);
    }
    Guard await_resume() {
      // Never closed, so the acquire always succeeds.
      return Guard(mutex_, *acquire_.await_resume());
    }

   private:
    Mutex* mutex_;
    Semaphore::AcquireAwaiter acquire_;
  };
  LockAwaiter Lock() { return LockAwaiter(this); }

  // The lock if nobody holds it or waits for it.
  std::optional<Guard> TryLock() {
    absl::StatusOr<Semaphore::Permit> permit = permit_.TryAcquire();
    if (!permit.ok()) return std::nullopt;
    return Guard(this, *std::move(permit));
  }

  // The value, when nothing else can reach the mutex (tokio's get_mut).
  T& GetMut() { return value_; }

 private:
  Semaphore permit_{1};
  T value_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_MUTEX_H_
