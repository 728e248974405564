// Semaphore: permits that tasks acquire and give back (tokio's
// sync::Semaphore).
//
//   weft::Semaphore slots(10);
//   absl::StatusOr<weft::Semaphore::Permit> permit = co_await slots.Acquire();
//   // ... at most 10 tasks are here at once; the permit goes back when it
//   // is destroyed
//
// Shared by tasks that may outlive whoever made it (a spawned connection
// task, cancelled at runtime shutdown after main's locals are gone), it
// belongs in a std::shared_ptr, and each task holds an OwnedPermit, which
// keeps the semaphore alive (tokio's Arc<Semaphore> and acquire_owned):
//
//   auto limit = std::make_shared<weft::Semaphore>(100);
//   absl::StatusOr<weft::Semaphore::OwnedPermit> slot =
//       co_await limit->AcquireOwned();
//
// Fair: waiters are served first come, first served, and an Acquire queues
// behind earlier ones even when the permits it wants are there, so a waiter
// for many permits is never starved by waiters for few. Released permits go
// to the head of the queue, partly if need be: a waiter for 5 holds the
// first 3 released until 2 more come.
//
// Cancel-safe: an Acquire destroyed while it waits (its task aborted, its
// Timeout expired, another branch of a Select won) gives back every permit
// it had been assigned; no permit is lost.
//
// Threads: every operation may be called from any thread; a waiting task
// is woken through its Waker. A lock guards the count and the queue, whose
// nodes live in the waiting awaiters: waiting allocates nothing.
//
// A Permit and a pending Acquire borrow the semaphore (as in tokio): it
// must outlive them. Destroying it while tasks wait for permits, or (in
// builds without NDEBUG, kMisuseChecks) while permits are held, aborts
// with a message saying so, instead of corrupting memory later. The owned
// forms (AcquireOwned, OwnedPermit) cannot outlive it.
#ifndef WEFT_RUNTIME_SYNC_SEMAPHORE_H_
#define WEFT_RUNTIME_SYNC_SEMAPHORE_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/status/statusor.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft {

class Semaphore : public std::enable_shared_from_this<Semaphore> {
 public:
  // The most permits a semaphore holds (tokio's MAX_PERMITS).
  static constexpr size_t kMaxPermits = SIZE_MAX >> 3;

  explicit Semaphore(size_t permits) : Semaphore(permits, "Semaphore") {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  ~Semaphore();

  // Permits acquired from a semaphore; given back when destroyed.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept
        : semaphore_(std::exchange(other.semaphore_, nullptr)),
          permits_(std::exchange(other.permits_, 0)) {}
    Permit& operator=(Permit&& other) noexcept;
    ~Permit() { Release(); }

    size_t num_permits() const { return permits_; }
    // Gives the permits back now.
    void Release();
    // Keeps the permits out of the semaphore for good (tokio's forget):
    // its capacity shrinks by num_permits().
    void Forget();

   private:
    friend class Semaphore;
    Permit(Semaphore* semaphore, size_t permits);
    Semaphore* semaphore_ = nullptr;
    size_t permits_ = 0;
  };

  // Permits that keep their semaphore alive (tokio's OwnedSemaphorePermit):
  // what a task that may outlive the semaphore's other owners holds.
  class OwnedPermit {
   public:
    OwnedPermit() = default;
    OwnedPermit(OwnedPermit&&) noexcept = default;
    OwnedPermit& operator=(OwnedPermit&& other) noexcept {
      permit_ = std::move(other.permit_);  // gives ours back first
      semaphore_ = std::move(other.semaphore_);
      return *this;
    }

    size_t num_permits() const { return permit_.num_permits(); }
    void Release() { permit_.Release(); }
    void Forget() { permit_.Forget(); }
    // The semaphore it came from (null if empty).
    const std::shared_ptr<Semaphore>& semaphore() const { return semaphore_; }

   private:
    friend class Semaphore;
    OwnedPermit(std::shared_ptr<Semaphore> semaphore, Permit permit)
        : semaphore_(std::move(semaphore)), permit_(std::move(permit)) {}
    // Declared first, destroyed last: the permits go back while it lives.
    std::shared_ptr<Semaphore> semaphore_;
    Permit permit_;
  };

  class AcquireAwaiter;
  class OwnedAcquireAwaiter;
  // Waits for `n` permits. The result is the permit, or FailedPrecondition
  // once the semaphore is closed.
  AcquireAwaiter AcquireMany(size_t n);
  AcquireAwaiter Acquire();
  // The permits if they are there now and nobody waits ahead; else
  // ResourceExhausted, or FailedPrecondition when closed.
  absl::StatusOr<Permit> TryAcquire(size_t n = 1);

  // The same, owned: for a semaphore that a std::shared_ptr owns (made
  // with std::make_shared); on any other, they throw std::logic_error.
  // The pending acquire keeps the semaphore alive too.
  OwnedAcquireAwaiter AcquireManyOwned(size_t n);
  OwnedAcquireAwaiter AcquireOwned();
  absl::StatusOr<OwnedPermit> TryAcquireOwned(size_t n = 1);

  // Adds `n` permits (handed to waiters first). Throws std::length_error
  // past kMaxPermits.
  void AddPermits(size_t n);
  size_t AvailablePermits() const;

  // Fails every pending and later Acquire; permits held stay valid and
  // still come back.
  void Close();
  bool IsClosed() const;

 private:
  template <class>
  friend class Mutex;
  template <class>
  friend class RwLock;
  template <class>
  friend class OnceCell;
  // `kind` names the primitive built on this semaphore in the
  // destructor's messages ("a Mutex destroyed while ...").
  Semaphore(size_t permits, const char* kind);

  // Gives `n` permits back: to the queue's head, then the next, and keeps
  // the rest. Without the lock when nobody waits.
  void Release(size_t n);
  // The same, mu_ held.
  void ReleaseLocked(size_t n);
  // Hands every available permit to the waiters, in order. mu_ held.
  void DistributeLocked();
  // Takes `n` permits if they are there: a compare-and-swap, no lock (the
  // uncontended Acquire, as tokio's). Fair without the lock, by the
  // invariant below: permits that are there have nobody waiting for them.
  bool TryTakeFast(size_t n);
  // This semaphore's owner, for the owned forms; `operation` names the
  // call in the error when no std::shared_ptr owns it.
  std::shared_ptr<Semaphore> Shared(const char* operation);

  mutable std::mutex mu_;
  // Invariant: available_ > 0 only while nobody waits (released permits go
  // to waiters first), except between a lock-free release's add and its
  // hand-over (Release), when TryTakeFast leaves them alone. Changed only
  // by atomic read-modify-writes: under mu_ (hand-overs, close), by
  // Release, or by TryTakeFast.
  std::atomic<size_t> available_;
  // How many are queued in waiters_: written under mu_, read without it.
  std::atomic<size_t> waiting_{0};
  std::atomic<bool> closed_{false};             // stored under mu_
  internal::WaitList<AcquireAwaiter> waiters_;  // guarded by mu_
  // Permits held by Permits (kMisuseChecks builds only; else 0), for the
  // destructor's check.
  std::atomic<size_t> held_{0};
  const char* const kind_;
};

// One await of AcquireMany(n). States, and who moves them:
//
//   kInit ──enough permits, nobody waiting──► kAcquired   (this task)
//   kInit ──closed──► kClosed                             (this task)
//   kInit ──await_suspend──► kWaiting      queued, holds a waker, has taken
//                                          what was there (n - remaining_)
//   kWaiting ──a release completes n──► kAcquired   unlinked, woken
//   kWaiting ──Close──► kClosed     unlinked, its permits given back, woken
//   kAcquired ──await_resume──► kDone      the Permit goes to the task
//
// Any thread may move kWaiting on (under the semaphore's lock), so the
// state is atomic, and the waker is moved out before the state is stored:
// once it is stored, the task may resume and destroy this awaiter.
// Destroyed in kWaiting: unlinks itself and gives back what it was
// assigned; in kAcquired: gives back all n. The executor resumes the task
// only once the state has left kWaiting (the ready check).
//
// Movable before it is awaited, never after: the queue points at it.
class [[nodiscard]] [[gnu::warn_unused]] Semaphore::AcquireAwaiter
    : public internal::WaitList<AcquireAwaiter>::Node,
      private internal::ReadyCheck {
 public:
  AcquireAwaiter(Semaphore* semaphore, size_t n)
      : semaphore_(semaphore), n_(n) {}
  AcquireAwaiter(AcquireAwaiter&& other) noexcept;
  AcquireAwaiter(const AcquireAwaiter&) = delete;
  AcquireAwaiter& operator=(const AcquireAwaiter&) = delete;
  ~AcquireAwaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  absl::StatusOr<Permit> await_resume();

 private:
  friend class Semaphore;
  enum State : uint8_t { kInit, kWaiting, kAcquired, kClosed, kDone };

  // Leaves kWaiting for `to` and wakes the task. mu_ held, unlinked.
  void Finish(State to);

  Semaphore* semaphore_;
  size_t n_;
  size_t remaining_ = 0;  // guarded by the semaphore's mu_
  Waker waker_;           // guarded by the semaphore's mu_ while kWaiting
  std::atomic<State> state_{kInit};
};

// One await of AcquireManyOwned(n): an Acquire that holds a reference to
// its semaphore, and gives an OwnedPermit.
class [[nodiscard]] [[gnu::warn_unused]] Semaphore::OwnedAcquireAwaiter {
 public:
  OwnedAcquireAwaiter(std::shared_ptr<Semaphore> semaphore, size_t n)
      : semaphore_(std::move(semaphore)), acquire_(semaphore_.get(), n) {}
  OwnedAcquireAwaiter(OwnedAcquireAwaiter&&) noexcept = default;

  bool await_ready() { return acquire_.await_ready(); }
  void await_suspend(std::coroutine_handle<> self) {
    acquire_.await_suspend(self);
  }
  absl::StatusOr<OwnedPermit> await_resume() {
    absl::StatusOr<Permit> permit = acquire_.await_resume();
    if (!permit.ok()) return permit.status();
    return OwnedPermit(semaphore_, *std::move(permit));
  }

 private:
  // Declared first, destroyed last: outlives the acquire.
  std::shared_ptr<Semaphore> semaphore_;
  AcquireAwaiter acquire_;
};

inline Semaphore::AcquireAwaiter Semaphore::AcquireMany(size_t n) {
  return AcquireAwaiter(this, n);
}
inline Semaphore::AcquireAwaiter Semaphore::Acquire() { return AcquireMany(1); }
inline Semaphore::OwnedAcquireAwaiter Semaphore::AcquireManyOwned(size_t n) {
  return OwnedAcquireAwaiter(Shared("AcquireManyOwned"), n);
}
inline Semaphore::OwnedAcquireAwaiter Semaphore::AcquireOwned() {
  return OwnedAcquireAwaiter(Shared("AcquireOwned"), 1);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_SEMAPHORE_H_
