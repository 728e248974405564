// Semaphore: permits that tasks acquire and give back (tokio's
// sync::Semaphore).
//
//   weft::Semaphore slots(10);
//   absl::StatusOr<weft::Semaphore::Permit> permit = co_await slots.Acquire();
//   ...                      // at most 10 tasks are here at once
//                            // the permit goes back when it is destroyed
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
// The semaphore must outlive its permits and its pending Acquires (in
// tokio they borrow it).
#ifndef WEFT_RUNTIME_SYNC_SEMAPHORE_H_
#define WEFT_RUNTIME_SYNC_SEMAPHORE_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>

#include "absl/status/statusor.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft {

class Semaphore {
 public:
  // The most permits a semaphore holds (tokio's MAX_PERMITS).
  static constexpr size_t kMaxPermits = SIZE_MAX >> 3;

  explicit Semaphore(size_t permits);
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
    void Forget() { permits_ = 0; }

   private:
    friend class Semaphore;
    Permit(Semaphore* semaphore, size_t permits)
        : semaphore_(semaphore), permits_(permits) {}
    Semaphore* semaphore_ = nullptr;
    size_t permits_ = 0;
  };

  class AcquireAwaiter;
  // Waits for `n` permits. The result is the permit, or FailedPrecondition
  // once the semaphore is closed.
  AcquireAwaiter AcquireMany(size_t n);
  AcquireAwaiter Acquire();
  // The permits if they are there now and nobody waits ahead; else
  // ResourceExhausted, or FailedPrecondition when closed.
  absl::StatusOr<Permit> TryAcquire(size_t n = 1);

  // Adds `n` permits (handed to waiters first). Throws std::length_error
  // past kMaxPermits.
  void AddPermits(size_t n);
  size_t AvailablePermits() const;

  // Fails every pending and later Acquire; permits held stay valid and
  // still come back.
  void Close();
  bool IsClosed() const;

 private:
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
class Semaphore::AcquireAwaiter
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

inline Semaphore::AcquireAwaiter Semaphore::AcquireMany(size_t n) {
  return AcquireAwaiter(this, n);
}
inline Semaphore::AcquireAwaiter Semaphore::Acquire() { return AcquireMany(1); }

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_SEMAPHORE_H_
