// RwLock<T>: many readers or one writer, asynchronously (tokio's
// sync::RwLock).
//
//   struct Config {
//     int port = 8080;
//   };
//   weft::RwLock<Config> config;
//   {
//     auto r = co_await config.Read();   // shared
//     std::printf("%d\n", r->port);
//   }
//   {
//     auto w = co_await config.Write();  // exclusive
//     w->port = 8081;
//   }
//
// tokio's fairness: the lock is a Semaphore of kMaxReaders permits, served
// first come, first served. A reader takes one permit, a writer all of
// them. So a writer that waits is not starved by readers that keep coming:
// readers that ask after it queue behind it, and it gets the lock as soon
// as the readers before it are done.
//
// Threads and lifetime as Mutex (mutex.h): the guards borrow the lock,
// ReadOwned() and WriteOwned() give guards that share it (tokio's
// read_owned, write_owned).
#ifndef WEFT_RUNTIME_SYNC_RW_LOCK_H_
#define WEFT_RUNTIME_SYNC_RW_LOCK_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "runtime/sync/semaphore.h"
#include "runtime/task/misuse.h"

namespace weft {

template <class T>
class RwLock : public std::enable_shared_from_this<RwLock<T>> {
 public:
  // How many readers may hold the lock at once (tokio's MAX_READS).
  static constexpr size_t kMaxReaders = (uint32_t{1} << 29) - 1;

  explicit RwLock(T value = T()) : value_(std::move(value)) {}
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  // Access through a held lock. `Ptr` is how the guard refers to its
  // lock: borrowed or shared (the Owned guards); `Value` is const T for
  // shared access.
  template <class Ptr, class Value>
  class BasicGuard {
   public:
    using Pointer = Ptr;
    BasicGuard(BasicGuard&&) noexcept = default;
    Value& operator*() const { return lock_->value_; }
    Value* operator->() const { return &lock_->value_; }

   private:
    friend class RwLock;
    BasicGuard(Ptr lock, Semaphore::Permit permit)
        : lock_(std::move(lock)), permit_(std::move(permit)) {}
    // Declared first, destroyed last: released while the lock lives.
    Ptr lock_;
    Semaphore::Permit permit_;
  };
  using ReadGuard = BasicGuard<RwLock*, const T>;  // shared access
  using WriteGuard = BasicGuard<RwLock*, T>;       // exclusive access
  using OwnedReadGuard = BasicGuard<std::shared_ptr<RwLock>, const T>;
  using OwnedWriteGuard = BasicGuard<std::shared_ptr<RwLock>, T>;

  // Awaiting it gives a Guard (one of the four above); it holds the
  // guard's pointer while it waits.
  template <class Guard>
  class [[nodiscard]] [[gnu::warn_unused]] LockAwaiter {
   public:
    template <class Ptr>
    LockAwaiter(Ptr lock, size_t permits)
        : lock_(std::move(lock)),
          acquire_(lock_->permits_.AcquireMany(permits)) {}
    bool await_ready() { return acquire_.await_ready(); }
    void await_suspend(std::coroutine_handle<> self) {
      acquire_.await_suspend(self);
    }
    // Never closed, so the acquire always succeeds.
    Guard await_resume() { return Guard(lock_, *acquire_.await_resume()); }

   private:
    typename Guard::Pointer lock_;
    Semaphore::AcquireAwaiter acquire_;
  };

  LockAwaiter<ReadGuard> Read() { return LockAwaiter<ReadGuard>(this, 1); }
  LockAwaiter<WriteGuard> Write() {
    return LockAwaiter<WriteGuard>(this, kMaxReaders);
  }
  // For a lock a std::shared_ptr owns; on any other, they throw
  // std::logic_error.
  LockAwaiter<OwnedReadGuard> ReadOwned() {
    return LockAwaiter<OwnedReadGuard>(Shared("ReadOwned"), 1);
  }
  LockAwaiter<OwnedWriteGuard> WriteOwned() {
    return LockAwaiter<OwnedWriteGuard>(Shared("WriteOwned"), kMaxReaders);
  }

  // The lock now, if the queue allows (nobody waits ahead, and for Write,
  // nobody holds it).
  std::optional<ReadGuard> TryRead() { return TryLock<ReadGuard>(this, 1); }
  std::optional<WriteGuard> TryWrite() {
    return TryLock<WriteGuard>(this, kMaxReaders);
  }

  T& GetMut() { return value_; }

 private:
  template <class Guard, class Ptr>
  std::optional<Guard> TryLock(Ptr lock, size_t permits) {
    absl::StatusOr<Semaphore::Permit> permit = permits_.TryAcquire(permits);
    if (!permit.ok()) return std::nullopt;
    return Guard(std::move(lock), *std::move(permit));
  }
  std::shared_ptr<RwLock> Shared(const char* operation) {
    std::shared_ptr<RwLock> owner = this->weak_from_this().lock();
    if (owner == nullptr) internal::ThrowNotShared("RwLock", operation);
    return owner;
  }

  Semaphore permits_{kMaxReaders, "RwLock"};  // says so if destroyed held
  T value_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_RW_LOCK_H_
