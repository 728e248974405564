#include "runtime/sync/semaphore.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "absl/status/status.h"
#include "runtime/task/leaf.h"

namespace weft {

Semaphore::Semaphore(size_t permits, const char* kind)
    : available_(permits), kind_(kind) {
  if (permits > kMaxPermits) {
    throw std::length_error("weft: Semaphore: more than kMaxPermits permits");
  }
}

Semaphore::~Semaphore() {
  std::lock_guard<std::mutex> lock(mu_);
  // A pending Acquire would touch this semaphore again when it resumes or
  // is destroyed, and a Permit when it goes: as in tokio, where they
  // borrow the semaphore, they must not outlive it.
  // Waiters of aborted tasks are let go: such a task is only destroyed,
  // never resumed, and a closed awaiter touches nothing when it goes.
  for (AcquireAwaiter* waiter = waiters_.front(); waiter != nullptr;) {
    AcquireAwaiter* next = waiters_.next(waiter);
    if (internal::WakesAbortedTask(waiter->waker_)) {
      waiters_.Remove(waiter);
      waiter->waker_.Reset();
      waiter->state_.store(AcquireAwaiter::kClosed, std::memory_order_release);
    }
    waiter = next;
  }
  const char* why = nullptr;
  if (!waiters_.empty()) {
    why = "while tasks wait for it";
  } else if (internal::kMisuseChecks && held_.load() != 0) {
    why = "while held (a permit or guard from it is alive)";
  }
  if (why != nullptr) {
    std::string message = std::string(kind_) + " destroyed " + why +
                          ": it must outlive them. Share it instead: "
                          "std::make_shared, and the owned forms "
                          "(AcquireOwned, LockOwned, ReadOwned, WriteOwned) "
                          "keep it alive";
    internal::MisuseAbort(message.c_str());
  }
}

Semaphore::Permit::Permit(Semaphore* semaphore, size_t permits)
    : semaphore_(semaphore), permits_(permits) {
  if (internal::kMisuseChecks) semaphore_->held_.fetch_add(permits);
}

void Semaphore::Permit::Forget() {
  if (internal::kMisuseChecks && semaphore_ != nullptr) {
    semaphore_->held_.fetch_sub(permits_);
  }
  permits_ = 0;
}

std::shared_ptr<Semaphore> Semaphore::Shared(const char* operation) {
  std::shared_ptr<Semaphore> owner = weak_from_this().lock();
  if (owner == nullptr) internal::ThrowNotShared("Semaphore", operation);
  return owner;
}

absl::StatusOr<Semaphore::OwnedPermit> Semaphore::TryAcquireOwned(size_t n) {
  std::shared_ptr<Semaphore> owner = Shared("TryAcquireOwned");
  absl::StatusOr<Permit> permit = TryAcquire(n);
  if (!permit.ok()) return permit.status();
  return OwnedPermit(std::move(owner), *std::move(permit));
}

Semaphore::Permit& Semaphore::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    Release();
    semaphore_ = std::exchange(other.semaphore_, nullptr);
    permits_ = std::exchange(other.permits_, 0);
  }
  return *this;
}

void Semaphore::Permit::Release() {
  if (semaphore_ != nullptr && permits_ > 0) {
    if (internal::kMisuseChecks) semaphore_->held_.fetch_sub(permits_);
    semaphore_->Release(permits_);
  }
  permits_ = 0;
}

void Semaphore::Release(size_t n) {
  if (waiting_.load(std::memory_order_seq_cst) == 0) {
    // Nobody waits: the permits go back with one atomic add, no lock. A
    // waiter queues (under mu_) by counting itself in waiting_ and then
    // looking at available_; this adds to available_ and then looks at
    // waiting_. Both sequentially consistent, so at least one sees the
    // other: the waiter takes these permits, or this hands them over.
    available_.fetch_add(n, std::memory_order_seq_cst);
    if (waiting_.load(std::memory_order_seq_cst) == 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    DistributeLocked();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ReleaseLocked(n);
}

void Semaphore::DistributeLocked() {
  ReleaseLocked(available_.exchange(0, std::memory_order_seq_cst));
}

bool Semaphore::TryTakeFast(size_t n) {
  // Permits are there while waiters are only between a release's add and
  // its hand-over (Release): leave them to the waiters.
  if (waiting_.load(std::memory_order_relaxed) != 0) return false;
  size_t available = available_.load(std::memory_order_relaxed);
  while (available >= n) {
    // Acquire: pairs with the release that added these permits, so what
    // the last holder wrote under them (a Mutex's value) is seen.
    if (available_.compare_exchange_weak(available, available - n,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<Semaphore::Permit> Semaphore::TryAcquire(size_t n) {
  if (closed_.load(std::memory_order_acquire)) {
    return absl::FailedPreconditionError("try_acquire: semaphore closed");
  }
  if (!TryTakeFast(n)) {
    return absl::ResourceExhaustedError(
        "try_acquire: not enough permits available");
  }
  return Permit(this, n);
}

void Semaphore::AddPermits(size_t n) {
  if (n > kMaxPermits - available_.load(std::memory_order_relaxed)) {
    throw std::length_error("weft: Semaphore::AddPermits: past kMaxPermits");
  }
  Release(n);
}

size_t Semaphore::AvailablePermits() const {
  return available_.load(std::memory_order_acquire);
}

void Semaphore::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_.store(true, std::memory_order_release);
  while (AcquireAwaiter* waiter = waiters_.PopFront()) {
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
    // What it had been given.
    available_.fetch_add(waiter->n_ - waiter->remaining_,
                         std::memory_order_release);
    waiter->Finish(AcquireAwaiter::kClosed);
  }
}

bool Semaphore::IsClosed() const {
  return closed_.load(std::memory_order_acquire);
}

void Semaphore::ReleaseLocked(size_t n) {
  while (n > 0 && !waiters_.empty()) {
    AcquireAwaiter* head = waiters_.front();
    const size_t given = std::min(n, head->remaining_);
    head->remaining_ -= given;
    n -= given;
    if (head->remaining_ == 0) {
      waiters_.Remove(head);
      waiting_.fetch_sub(1, std::memory_order_seq_cst);
      head->Finish(AcquireAwaiter::kAcquired);
    }
  }
  if (n > 0) available_.fetch_add(n, std::memory_order_seq_cst);
}

Semaphore::AcquireAwaiter::AcquireAwaiter(AcquireAwaiter&& other) noexcept
    : semaphore_(other.semaphore_), n_(other.n_) {
  if (other.state_.load(std::memory_order_relaxed) != kInit) {
    internal::AwaiterMovedAfterAwait("Semaphore::Acquire");
  }
}

bool Semaphore::AcquireAwaiter::await_ready() {
  // The fast path, no lock: permits are there (so nobody waits).
  if (semaphore_->closed_.load(std::memory_order_acquire)) {
    state_.store(kClosed, std::memory_order_relaxed);
  } else if (semaphore_->TryTakeFast(n_)) {
    state_.store(kAcquired, std::memory_order_relaxed);
  } else {
    return false;
  }
  // Decided; only the budget may still send the task round the queue
  // (await_suspend then yields).
  return internal::FinishNow(true);
}

void Semaphore::AcquireAwaiter::await_suspend(std::coroutine_handle<> self) {
  internal::ParkedTask parked(self, "Semaphore::Acquire");
  if (parked.YieldIf(state_.load(std::memory_order_relaxed) != kInit)) return;
  std::lock_guard<std::mutex> lock(semaphore_->mu_);
  // Another thread may have released or closed since await_ready.
  if (semaphore_->closed_.load(std::memory_order_relaxed)) {
    state_.store(kClosed, std::memory_order_relaxed);
    parked.Yield();
    return;
  }
  // Queue first, then take what is there: counted in waiting_ before
  // looking at the permits, so a release that adds them without the lock
  // either is seen here or sees this waiter (Release). The hand-over gives
  // permits in queue order, this waiter included, and may complete it.
  if (n_ == 0) {  // nothing to wait for (and no hand-over would end it)
    state_.store(kAcquired, std::memory_order_relaxed);
    parked.Yield();
    return;
  }
  remaining_ = n_;
  state_.store(kWaiting, std::memory_order_relaxed);
  semaphore_->waiters_.PushBack(this);
  semaphore_->waiting_.fetch_add(1, std::memory_order_seq_cst);
  semaphore_->DistributeLocked();
  if (state_.load(std::memory_order_relaxed) != kWaiting) {
    parked.Yield();  // acquired at once (its empty waker woke nobody)
    return;
  }
  waker_ = parked.NewWaker();
  ready = [](const internal::ReadyCheck* check) {
    return static_cast<const AcquireAwaiter*>(check)->state_.load(
               std::memory_order_acquire) != kWaiting;
  };
  parked.WaitFor(this);
}

void Semaphore::AcquireAwaiter::Finish(State to) {
  Waker waker = std::move(waker_);
  state_.store(to, std::memory_order_release);  // from here, `this` may go
  std::move(waker).Wake();
}

absl::StatusOr<Semaphore::Permit> Semaphore::AcquireAwaiter::await_resume() {
  const State state = state_.load(std::memory_order_acquire);
  state_.store(kDone, std::memory_order_relaxed);
  if (state == kClosed) {
    return absl::FailedPreconditionError("acquire: semaphore closed");
  }
  return Permit(semaphore_, n_);
}

Semaphore::AcquireAwaiter::~AcquireAwaiter() {
  const State state = state_.load(std::memory_order_acquire);
  if (state != kWaiting && state != kAcquired) return;
  std::lock_guard<std::mutex> lock(semaphore_->mu_);
  // Under the lock the state is final for this check: a release or a close
  // moves kWaiting on only while holding it.
  switch (state_.load(std::memory_order_acquire)) {
    case kWaiting:  // cancelled while queued
      semaphore_->waiters_.Remove(this);
      semaphore_->waiting_.fetch_sub(1, std::memory_order_seq_cst);
      semaphore_->ReleaseLocked(n_ - remaining_);
      break;
    case kAcquired:  // given every permit, but never resumed to take them
      semaphore_->ReleaseLocked(n_);
      break;
    default:  // closed: what it had was given back then
      break;
  }
}

}  // namespace weft
