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
// value is reached only through a guard.
//
// Lifetime: a Guard and a pending Lock() borrow the mutex: it must outlive
// them. Destroying it locked, or with tasks waiting, aborts saying so (the
// wait always; a held guard in builds with kMisuseChecks, misuse.h). A
// mutex shared by tasks that may outlive its other owners belongs in a
// std::shared_ptr, locked with LockOwned(), whose OwnedGuard keeps it
// alive (tokio's Arc<Mutex<T>> and lock_owned):
//
//   auto stats = std::make_shared<weft::Mutex<int>>(0);
//   weft::Mutex<int>::OwnedGuard guard = co_await stats->LockOwned();
//   ++*guard;
#ifndef WEFT_RUNTIME_SYNC_MUTEX_H_
#define WEFT_RUNTIME_SYNC_MUTEX_H_

#include <coroutine>
#include <memory>
#include <optional>
#include <utility>

#include "runtime/sync/semaphore.h"
#include "runtime/task/misuse.h"

namespace weft {

template <class T>
class Mutex : public std::enable_shared_from_this<Mutex<T>> {
 public:
  explicit Mutex(T value = T()) : value_(std::move(value)) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // The lock, held: the value is reachable through it until it goes.
  // `Ptr` is how it refers to its mutex: borrowed (Guard) or shared
  // (OwnedGuard).
  template <class Ptr>
  class BasicGuard {
   public:
    BasicGuard(BasicGuard&&) noexcept = default;
    BasicGuard& operator=(BasicGuard&& other) noexcept {
      permit_ = std::move(other.permit_);  // unlocks ours first
      mutex_ = std::move(other.mutex_);
      return *this;
    }
    T& operator*() const { return mutex_->value_; }
    T* operator->() const { return &mutex_->value_; }

   private:
    friend class Mutex;
    BasicGuard(Ptr mutex, Semaphore::Permit permit)
        : mutex_(std::move(mutex)), permit_(std::move(permit)) {}
    // Declared first, destroyed last: unlocked while the mutex lives.
    Ptr mutex_;
    Semaphore::Permit permit_;
  };
  using Guard = BasicGuard<Mutex*>;
  using OwnedGuard = BasicGuard<std::shared_ptr<Mutex>>;

  // Awaiting it gives the guard. The awaiter holds `Ptr` too, so an owned
  // Lock keeps the mutex alive while it waits.
  template <class Ptr>
  class [[nodiscard]] [[gnu::warn_unused]] LockAwaiter {
   public:
    explicit LockAwaiter(Ptr mutex)
        : mutex_(std::move(mutex)), acquire_(mutex_->permit_.Acquire()) {}
    bool await_ready() { return acquire_.await_ready(); }
    void await_suspend(std::coroutine_handle<> self) {
      acquire_.await_suspend(self);
    }
    BasicGuard<Ptr> await_resume() {
      // Never closed, so the acquire always succeeds.
      return BasicGuard<Ptr>(mutex_, *acquire_.await_resume());
    }

   private:
    Ptr mutex_;
    Semaphore::AcquireAwaiter acquire_;
  };
  LockAwaiter<Mutex*> Lock() { return LockAwaiter<Mutex*>(this); }
  // For a mutex a std::shared_ptr owns; on any other, throws
  // std::logic_error.
  LockAwaiter<std::shared_ptr<Mutex>> LockOwned() {
    return LockAwaiter<std::shared_ptr<Mutex>>(Shared("LockOwned"));
  }

  // The lock if nobody holds it or waits for it.
  std::optional<Guard> TryLock() { return TryLockWith(this); }
  std::optional<OwnedGuard> TryLockOwned() {
    return TryLockWith(Shared("TryLockOwned"));
  }

  // The value, when nothing else can reach the mutex (tokio's get_mut).
  T& GetMut() { return value_; }

 private:
  template <class Ptr>
  std::optional<BasicGuard<Ptr>> TryLockWith(Ptr mutex) {
    absl::StatusOr<Semaphore::Permit> permit = permit_.TryAcquire();
    if (!permit.ok()) return std::nullopt;
    return BasicGuard<Ptr>(std::move(mutex), *std::move(permit));
  }
  std::shared_ptr<Mutex> Shared(const char* operation) {
    std::shared_ptr<Mutex> owner = this->weak_from_this().lock();
    if (owner == nullptr) internal::ThrowNotShared("Mutex", operation);
    return owner;
  }

  Semaphore permit_{1, "Mutex"};  // says so if destroyed held or waited on
  T value_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_MUTEX_H_
