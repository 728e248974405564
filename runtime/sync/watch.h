// watch: one value that changes, and receivers that see the latest
// (tokio's sync::watch).
//
//   auto [tx, rx] = weft::watch::Channel<int>(0);
//   tx.Send(1).IgnoreError();        // not ok(): no receiver is left
//   tx.SendModify([](int& value) { ++value; });   // or change it in place
//   while ((co_await rx.Changed()).ok()) {   // a value not yet seen
//     int now = *rx.BorrowAndUpdate();       // the latest; older ones gone
//     std::printf("%d\n", now);
//   }                                        // not ok: the sender is gone
//
// Only the latest value is kept: a receiver that falls behind skips to it.
// Each receiver remembers the version it saw last; Changed() completes when
// a newer one exists (at once, if one does already), and fails (Failed-
// Precondition) once the sender is gone with nothing unseen. Receivers are
// copyable (a copy has seen what the original has); Sender::Subscribe()
// makes one that has seen the current value. Send gives a SendResult
// (send_result.h): the value back (kClosed) when no receiver is left;
// SendModify and SendReplace store regardless.
//
// Borrow() returns a read guard: hold it briefly, never across an await,
// since the sender waits for it to store the next value.
//
// Threads: the sender and the receivers may be used from any thread's
// tasks. Cancel-safe: a Changed() cancelled while it waits marks nothing
// seen.
#ifndef WEFT_RUNTIME_SYNC_WATCH_H_
#define WEFT_RUNTIME_SYNC_WATCH_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/sync/list_awaiter.h"
#include "runtime/sync/send_result.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::watch {

template <class T>
class Sender;
template <class T>
class Receiver;

namespace internal {

// The value, under a reader-writer lock, and its version; the waiting
// receivers under `mu`. `version` only grows; `sender_gone` is final.
template <class T>
struct Shared {
  explicit Shared(T initial) : value(std::move(initial)) {}

  mutable std::shared_mutex value_mu;
  T value;                           // guarded by value_mu
  std::atomic<uint64_t> version{0};  // written under value_mu
  std::atomic<bool> sender_gone{false};
  std::atomic<size_t> receivers{0};
  std::mutex mu;
  weft::internal::WaitList<typename Receiver<T>::ChangedAwaiter> waiting;

  // Wakes the waiting receivers that have something new: a version after
  // the one they parked on, or the sender gone. Not simply every waiter:
  // the version moves under value_mu and this runs after, under mu, so a
  // receiver may have seen the new version and parked again in between.
  // Popped and woken for nothing, its ready check would say no while it was
  // no longer linked, and it would sleep through every later send
  // (Watch.ASenderOnAnotherThreadWakesTheReceiver hung 4 runs in 5).
  void WakeChanged() {
    std::lock_guard<std::mutex> lock(mu);
    const uint64_t now = version.load(std::memory_order_acquire);
    const bool gone = sender_gone.load(std::memory_order_acquire);
    auto* waiter = waiting.front();
    while (waiter != nullptr) {
      auto* next = waiting.next(waiter);
      if (gone || waiter->parked_on_ != now) waiter->WakeLocked();
      waiter = next;
    }
  }
};

}  // namespace internal

// A read guard on the current value.
template <class T>
class Ref {
 public:
  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_; }

 private:
  friend class Sender<T>;
  friend class Receiver<T>;
  Ref(std::shared_lock<std::shared_mutex> lock, const T* value)
      : lock_(std::move(lock)), value_(value) {}
  std::shared_lock<std::shared_mutex> lock_;
  const T* value_;
};

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel(T initial);

template <class T>
class Receiver {
 public:
  Receiver(const Receiver& other) : shared_(other.shared_), seen_(other.seen_) {
    if (shared_) shared_->receivers.fetch_add(1, std::memory_order_relaxed);
  }
  Receiver(Receiver&& other) noexcept
      : shared_(std::move(other.shared_)), seen_(other.seen_) {}
  Receiver& operator=(const Receiver&) = delete;
  ~Receiver() {
    if (shared_) shared_->receivers.fetch_sub(1, std::memory_order_acq_rel);
  }

  // The current value; does not mark it seen.
  Ref<T> Borrow() const {
    internal::Shared<T>* shared = Checked("Borrow");
    std::shared_lock<std::shared_mutex> lock(shared->value_mu);
    return Ref<T>(std::move(lock), &shared->value);
  }
  // The current value, marked seen.
  Ref<T> BorrowAndUpdate() {
    internal::Shared<T>* shared = Checked("BorrowAndUpdate");
    std::shared_lock<std::shared_mutex> lock(shared->value_mu);
    seen_ = shared->version.load(std::memory_order_relaxed);
    return Ref<T>(std::move(lock), &shared->value);
  }
  // Whether a value not yet seen is there (FailedPrecondition: none, and
  // the sender is gone; an empty receiver, too).
  absl::StatusOr<bool> HasChanged() const {
    if (!shared_) return Closed();
    if (Unseen()) return true;
    if (shared_->sender_gone.load(std::memory_order_acquire)) return Closed();
    return false;
  }

  // One await of Changed(): parks until a version this receiver has not
  // seen exists, or the sender is gone (list_awaiter.h).
  class [[nodiscard]] [[gnu::warn_unused]] ChangedAwaiter
      : public weft::internal::ListAwaiter<ChangedAwaiter> {
   public:
    static constexpr const char* kName = "watch::Receiver::Changed";
    explicit ChangedAwaiter(Receiver* receiver)
        : weft::internal::ListAwaiter<ChangedAwaiter>(
              &receiver->shared_->mu, &receiver->shared_->waiting),
          receiver_(receiver) {}
    ChangedAwaiter(ChangedAwaiter&&) noexcept = default;

    // OK: a new value, now marked seen; FailedPrecondition: the sender is
    // gone and nothing is unseen.
    absl::Status await_resume() {
      if (receiver_->Unseen()) {
        receiver_->seen_ =
            receiver_->shared_->version.load(std::memory_order_acquire);
        return absl::OkStatus();
      }
      return Closed();
    }

    bool Ready() const {
      return receiver_->Unseen() ||
             receiver_->shared_->sender_gone.load(std::memory_order_acquire);
    }
    // Under the lock: the version it waits past, for the sender's thread.
    void OnPark() { parked_on_ = receiver_->seen_; }

   private:
    friend struct internal::Shared<T>;
    Receiver* receiver_;
    uint64_t parked_on_ = 0;  // guarded by the shared mu while linked
  };
  ChangedAwaiter Changed() {
    Checked("Changed");
    return ChangedAwaiter(this);
  }

 private:
  friend class Sender<T>;
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>(T initial);
  Receiver(std::shared_ptr<internal::Shared<T>> shared, uint64_t seen)
      : shared_(std::move(shared)), seen_(seen) {
    shared_->receivers.fetch_add(1, std::memory_order_relaxed);
  }
  bool Unseen() const {
    return shared_->version.load(std::memory_order_acquire) != seen_;
  }
  static absl::Status Closed() {
    return absl::FailedPreconditionError("watch: sender gone");
  }
  internal::Shared<T>* Checked(const char* operation) const {
    return weft::internal::NonEmpty(shared_.get(), "watch::Receiver",
                                    operation);
  }

  std::shared_ptr<internal::Shared<T>> shared_;
  uint64_t seen_;
};

template <class T>
class Sender {
 public:
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&&) = delete;
  ~Sender() {
    if (!shared_) return;
    shared_->sender_gone.store(true, std::memory_order_release);
    shared_->WakeChanged();
  }

  // Stores `value` unless no receiver is left: ok(), or the value back
  // (kClosed).
  SendResult<T> Send(T value) {
    Checked("Send");
    if (ReceiverCount() == 0) {
      return SendResult<T>::Refused(std::move(value), SendError::kClosed,
                                    "watch::Sender::Send");
    }
    SendReplace(std::move(value));
    return SendResult<T>::Sent();
  }
  // Stores `value` whether or not anyone receives; returns the old one.
  T SendReplace(T value) {
    SendModify([&](T& current) { std::swap(value, current); });
    return value;
  }
  // Changes the value in place (`modify(T&)`), and notifies. The version
  // moves under the same write lock, so a reader never sees a new value
  // with an old version.
  template <class F>
  void SendModify(F&& modify) {
    internal::Shared<T>* shared = Checked("SendModify");
    {
      std::unique_lock<std::shared_mutex> lock(shared->value_mu);
      std::forward<F>(modify)(shared->value);
      shared->version.fetch_add(1, std::memory_order_release);
    }
    shared->WakeChanged();
  }

  Ref<T> Borrow() const {
    internal::Shared<T>* shared = Checked("Borrow");
    std::shared_lock<std::shared_mutex> lock(shared->value_mu);
    return Ref<T>(std::move(lock), &shared->value);
  }
  // A receiver that has seen the current value.
  Receiver<T> Subscribe() const {
    internal::Shared<T>* shared = Checked("Subscribe");
    return Receiver<T>(shared_,
                       shared->version.load(std::memory_order_acquire));
  }
  // Receivers alive (an empty sender: 0).
  size_t ReceiverCount() const {
    return shared_ ? shared_->receivers.load(std::memory_order_acquire) : 0;
  }
  bool IsClosed() const { return ReceiverCount() == 0; }

 private:
  internal::Shared<T>* Checked(const char* operation) const {
    return weft::internal::NonEmpty(shared_.get(), "watch::Sender", operation);
  }
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>(T initial);
  explicit Sender(std::shared_ptr<internal::Shared<T>> shared)
      : shared_(std::move(shared)) {}

  std::shared_ptr<internal::Shared<T>> shared_;
};

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel(T initial) {
  auto shared = std::make_shared<internal::Shared<T>>(std::move(initial));
  return {Sender<T>(shared), Receiver<T>(shared, 0)};
}

}  // namespace weft::watch

#endif  // WEFT_RUNTIME_SYNC_WATCH_H_
