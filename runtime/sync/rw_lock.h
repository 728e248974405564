// RwLock<T>: many readers or one writer, asynchronously (tokio's
// sync::RwLock).
//
//   weft::RwLock<Config> config;
//   { auto r = co_await config.Read();  use(r->port); }   // shared
//   { auto w = co_await config.Write(); w->port = 8081; } // exclusive
//
// tokio's fairness: the lock is a Semaphore of kMaxReaders permits, served
// first come, first served. A reader takes one permit, a writer all of
// them. So a writer that waits is not starved by readers that keep coming:
// readers that ask after it queue behind it, and it gets the lock as soon
// as the readers before it are done.
//
// Threads and lifetime as Mutex (mutex.h).
#ifndef WEFT_RUNTIME_SYNC_RW_LOCK_H_
#define WEFT_RUNTIME_SYNC_RW_LOCK_H_

#include <coroutine>
#include <cstddef>
#include <optional>
#include <utility>

#include "runtime/sync/semaphore.h"

namespace weft {

template <class T>
class RwLock {
 public:
  // How many readers may hold the lock at once (tokio's MAX_READS).
  static constexpr size_t kMaxReaders = (uint32_t{1} << 29) - 1;

  explicit RwLock(T value = T()) : value_(std::move(value)) {}
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  // Shared access: the value is const through it.
  class ReadGuard {
   public:
    ReadGuard(ReadGuard&&) noexcept = default;
    const T& operator*() const { return lock_->value_; }
    const T* operator->() const { return &lock_->value_; }

   private:
    friend class RwLock;
    ReadGuard(const RwLock* lock, Semaphore::Permit permit)
        : lock_(lock), permit_(std::move(permit)) {}
    const RwLock* lock_;
    Semaphore::Permit permit_;
  };

  // Exclusive access.
  class WriteGuard {
   public:
    WriteGuard(WriteGuard&&) noexcept = default;
    T& operator*() const { return lock_->value_; }
    T* operator->() const { return &lock_->value_; }

   private:
    friend class RwLock;
    WriteGuard(RwLock* lock, Semaphore::Permit permit)
        : lock_(lock), permit_(std::move(permit)) {}
    RwLock* lock_;
    Semaphore::Permit permit_;
  };

  // Awaiting it gives a Guard (ReadGuard or WriteGuard).
  template <class Guard>
  class LockAwaiter {
   public:
    LockAwaiter(RwLock* lock, size_t permits)
        : lock_(lock), acquire_(lock->permits_.AcquireMany(permits)) {}
    bool await_ready() { return acquire_.await_ready(); }
    void await_suspend(std::coroutine_handle<> self) {
      acquire_.await_suspend(self);
    }
    // Never closed, so the acquire always succeeds.
    Guard await_resume() { return Guard(lock_, *acquire_.await_resume()); }

   private:
    RwLock* lock_;
    Semaphore::AcquireAwaiter acquire_;
  };

  LockAwaiter<ReadGuard> Read() { return LockAwaiter<ReadGuard>(this, 1); }
  LockAwaiter<WriteGuard> Write() {
    return LockAwaiter<WriteGuard>(this, kMaxReaders);
  }

  // The lock now, if the queue allows (nobody waits ahead, and for Write,
  // nobody holds it).
  std::optional<ReadGuard> TryRead() {
    absl::StatusOr<Semaphore::Permit> permit = permits_.TryAcquire(1);
    if (!permit.ok()) return std::nullopt;
    return ReadGuard(this, *std::move(permit));
  }
  std::optional<WriteGuard> TryWrite() {
    absl::StatusOr<Semaphore::Permit> permit = permits_.TryAcquire(kMaxReaders);
    if (!permit.ok()) return std::nullopt;
    return WriteGuard(this, *std::move(permit));
  }

  T& GetMut() { return value_; }

 private:
  Semaphore permits_{kMaxReaders};
  T value_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_RW_LOCK_H_
