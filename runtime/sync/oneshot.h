// oneshot: a channel for one value (tokio's sync::oneshot).
//
//   auto [tx, rx] = weft::oneshot::Channel<int>();
//   Spawn([](oneshot::Sender<int> tx) -> Task<> { tx.Send(42); },
//   std::move(tx)); std::optional<int> got = co_await rx;   // 42; nullopt:
//   sender dropped
//
// The usual reply path: a request carries a Sender, and its reply comes
// back through it (docs/sync.md's manager example).
//
//   Sender::Send(value)  delivers it, or, if the Receiver is gone (or
//                        closed), hands the value back: nothing is lost.
//   co_await receiver    the value, or nullopt once the Sender is gone
//                        without sending. Awaiting again after a value
//                        was taken gives nullopt.
//   TryRecv()            the same without waiting; kEmpty if nothing yet.
//   Receiver::Close()    refuses the value; a later Send hands it back.
//   IsClosed(), Closed() the sender sees that nobody will receive.
//
// Threads: the Sender may be used and dropped on any thread (a blocking
// job replying, say); the Receiver on its runtime's thread. A lock guards
// the shared state. Cancel-safe: a receive lost in a Select leaves the
// value in the channel for the next await.
#ifndef WEFT_RUNTIME_SYNC_ONESHOT_H_
#define WEFT_RUNTIME_SYNC_ONESHOT_H_

#include <atomic>
#include <coroutine>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "runtime/task/leaf.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::oneshot {

template <class T>
class Sender;
template <class T>
class Receiver;

namespace internal {

// What both ends share. States of the value slot:
//
//   empty ──Send──► full ──received──► taken
//     │
//     └──sender dropped / receiver closed──► closed (no value will come)
//
// `receiver_waker` is the parked receiver's; `sender_waker` a sender
// waiting in Closed(). Both guarded by `mu`. `done` ("full, or no value
// will ever come"), `receiver_closed` and `sender_finished` mirror the
// guarded state for the ready checks, which run without the lock.
//
// Two paths skip the lock, so that a send and its receive take it once:
//   * Once the receiver has seen `done`, nobody else writes `value` (the
//     sender sent, or went, or the receiver closed: a later Send hands
//     back), so a receiver that never parked takes it without the lock.
//   * A receiver going after the sender finished (sent or went) has
//     nobody to tell: nothing reads receiver_gone any more.
template <class T>
struct Shared {
  std::mutex mu;
  std::optional<T> value;
  bool sender_gone = false;
  bool receiver_gone = false;  // dropped or closed
  Waker receiver_waker;
  Waker sender_waker;
  std::atomic<bool> done{false};             // nothing more will arrive
  std::atomic<bool> receiver_closed{false};  // mirrors receiver_gone
  std::atomic<bool> sender_finished{false};  // mirrors sender_gone
};

}  // namespace internal

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel();

template <class T>
class Sender {
 public:
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      Drop();
      shared_ = std::move(other.shared_);
    }
    return *this;
  }
  ~Sender() { Drop(); }

  // Delivers `value`; returns it back if the receiver is gone or closed
  // (then nothing was sent). Consumes the sender: a second Send, or one
  // after the sender was moved from, throws std::logic_error.
  std::optional<T> Send(T value);

  // Whether the receiver is gone or closed: a Send would hand back.
  bool IsClosed() const {
    std::lock_guard<std::mutex> lock(shared_->mu);
    return shared_->receiver_gone;
  }

  // Completes once the receiver is gone or closed (tokio's closed()).
  class ClosedAwaiter;
  ClosedAwaiter Closed();

 private:
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>();
  explicit Sender(std::shared_ptr<internal::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  void Drop();

  std::shared_ptr<internal::Shared<T>> shared_;
};

template <class T>
class Receiver {
 public:
  enum class TryError { kEmpty, kClosed };

  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      Close();
      shared_ = std::move(other.shared_);
    }
    return *this;
  }
  ~Receiver() { Close(); }

  // The value if it came; else whether it may still come (kEmpty) or never
  // will (kClosed: the sender is gone, the receiver closed, or the value
  // was taken already).
  std::optional<T> TryRecv(TryError* error = nullptr);

  // Refuses the value from now on; one already sent can still be taken.
  void Close();

  class Awaiter;
  Awaiter operator co_await() & { return Awaiter(shared_.get()); }
  Awaiter operator co_await() && { return Awaiter(shared_.get()); }

 private:
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>();
  explicit Receiver(std::shared_ptr<internal::Shared<T>> shared)
      : shared_(std::move(shared)) {}

  std::shared_ptr<internal::Shared<T>> shared_;
};

// One receive. Parks until `done`; the executor resumes the task only then
// (the ready check). Destroyed while parked: takes its waker back.
template <class T>
class Receiver<T>::Awaiter : private weft::internal::ReadyCheck {
 public:
  explicit Awaiter(internal::Shared<T>* shared) : shared_(shared) {}
  Awaiter(Awaiter&& other) noexcept : shared_(other.shared_) {
    if (other.parked_) {
      weft::internal::AwaiterMovedAfterAwait("oneshot::Receiver await");
    }
  }
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter() {
    if (!parked_) return;
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->receiver_waker.Reset();
  }

  bool await_ready() {
    return weft::internal::FinishNow(
        shared_->done.load(std::memory_order_acquire));
  }
  void await_suspend(std::coroutine_handle<> self) {
    weft::internal::ParkedTask parked(self, "oneshot::Receiver");
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (parked.YieldIf(shared_->done.load(std::memory_order_relaxed))) return;
    shared_->receiver_waker = parked.NewWaker();
    parked_ = true;
    ready = [](const weft::internal::ReadyCheck* check) {
      return static_cast<const Awaiter*>(check)->shared_->done.load(
          std::memory_order_acquire);
    };
    parked.WaitFor(this);
  }
  // Reached only once `done` was seen: the value is the receiver's alone.
  std::optional<T> await_resume() {
    if (parked_) {
      // The sender may still be moving our waker out under the lock.
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->receiver_waker.Reset();
      parked_ = false;
    }
    return std::exchange(shared_->value, std::nullopt);
  }

 private:
  internal::Shared<T>* shared_;
  bool parked_ = false;
};

// Parks a sender until the receiver is gone or closed (the ready check: a
// stray wake leaves it parked).
template <class T>
class Sender<T>::ClosedAwaiter : private weft::internal::ReadyCheck {
 public:
  explicit ClosedAwaiter(internal::Shared<T>* shared) : shared_(shared) {}
  ClosedAwaiter(ClosedAwaiter&& other) noexcept : shared_(other.shared_) {
    if (other.parked_) {
      weft::internal::AwaiterMovedAfterAwait("oneshot::Sender::Closed");
    }
  }
  ClosedAwaiter(const ClosedAwaiter&) = delete;
  ClosedAwaiter& operator=(const ClosedAwaiter&) = delete;
  ~ClosedAwaiter() {
    if (!parked_) return;
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->sender_waker.Reset();
  }

  bool await_ready() {
    return weft::internal::FinishNow(
        shared_->receiver_closed.load(std::memory_order_acquire));
  }
  void await_suspend(std::coroutine_handle<> self) {
    weft::internal::ParkedTask parked(self, "oneshot::Sender::Closed");
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (parked.YieldIf(shared_->receiver_gone)) return;
    shared_->sender_waker = parked.NewWaker();
    parked_ = true;
    ready = [](const weft::internal::ReadyCheck* check) {
      return static_cast<const ClosedAwaiter*>(check)
          ->shared_->receiver_closed.load(std::memory_order_acquire);
    };
    parked.WaitFor(this);
  }
  void await_resume() {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (parked_) shared_->sender_waker.Reset();
    parked_ = false;
  }

 private:
  internal::Shared<T>* shared_;
  bool parked_ = false;
};

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel() {
  auto shared = std::make_shared<internal::Shared<T>>();
  return {Sender<T>(shared), Receiver<T>(shared)};
}

template <class T>
std::optional<T> Sender<T>::Send(T value) {
  if (shared_ == nullptr) {
    throw std::logic_error("weft: oneshot::Sender used after Send or move");
  }
  std::shared_ptr<internal::Shared<T>> shared = std::move(shared_);
  Waker waker;
  {
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->sender_gone = true;
    shared->sender_finished.store(true, std::memory_order_release);
    if (shared->receiver_gone) return value;  // handed back
    shared->value.emplace(std::move(value));
    shared->done.store(true, std::memory_order_release);
    waker = std::move(shared->receiver_waker);
  }
  std::move(waker).Wake();
  return std::nullopt;
}

template <class T>
void Sender<T>::Drop() {
  if (shared_ == nullptr) return;
  std::shared_ptr<internal::Shared<T>> shared = std::move(shared_);
  Waker waker;
  {
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->sender_gone = true;
    shared->sender_finished.store(true, std::memory_order_release);
    shared->done.store(true, std::memory_order_release);
    waker = std::move(shared->receiver_waker);
  }
  std::move(waker).Wake();
}

template <class T>
typename Sender<T>::ClosedAwaiter Sender<T>::Closed() {
  if (shared_ == nullptr) {
    throw std::logic_error("weft: oneshot::Sender used after Send or move");
  }
  return ClosedAwaiter(shared_.get());
}

template <class T>
std::optional<T> Receiver<T>::TryRecv(TryError* error) {
  std::lock_guard<std::mutex> lock(shared_->mu);
  if (shared_->value) return std::exchange(shared_->value, std::nullopt);
  if (error != nullptr) {
    *error = shared_->sender_gone || shared_->receiver_gone ? TryError::kClosed
                                                            : TryError::kEmpty;
  }
  return std::nullopt;
}

template <class T>
void Receiver<T>::Close() {
  if (shared_ == nullptr) return;
  // Nobody left to tell (see Shared).
  if (shared_->sender_finished.load(std::memory_order_acquire)) return;
  Waker waker;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->receiver_gone) return;
    shared_->receiver_gone = true;
    shared_->receiver_closed.store(true, std::memory_order_release);
    // No value can come any more: a receive finds what was sent, or none.
    shared_->done.store(true, std::memory_order_release);
    waker = std::move(shared_->sender_waker);
  }
  std::move(waker).Wake();
}

}  // namespace weft::oneshot

#endif  // WEFT_RUNTIME_SYNC_ONESHOT_H_
