// oneshot: a channel for one value (tokio's sync::oneshot).
//
//   auto [tx, rx] = weft::oneshot::Channel<int>();
//   weft::Spawn(
//       [](weft::oneshot::Sender<int> tx) -> weft::Task<> {
//         tx.Send(42).IgnoreError();   // not ok(): the receiver is gone
//         co_return;
//       },
//       std::move(tx));
//   std::optional<int> got = co_await rx;   // 42; nullopt: sender dropped
//
// The usual reply path: a request carries a Sender, and its reply comes
// back through it (docs/sync.md's manager example).
//
//   Sender::Send(value)  delivers it (a SendResult, send_result.h), or, if
//                        the Receiver is gone (or closed), hands the
//                        value back: nothing is lost.
//   co_await receiver    the value, or nullopt once the Sender is gone
//                        without sending. Awaiting again after a value
//                        was taken gives nullopt.
//   TryRecv()            the same without waiting; kEmpty if nothing yet.
//   Receiver::Close()    refuses the value; a later Send hands it back.
//   IsClosed(), Closed() the sender sees that nobody will receive.
//
// Threads: the Sender may be used and dropped on any thread (a blocking
// job replying, say); the Receiver on its runtime's thread. One atomic
// state word carries the channel (Shared says how); a lock guards only the
// wakers of a parked end. Cancel-safe: a receive lost in a Select leaves
// the value in the channel for the next await.
#ifndef WEFT_RUNTIME_SYNC_ONESHOT_H_
#define WEFT_RUNTIME_SYNC_ONESHOT_H_

#include <coroutine>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/sync/oneshot_state.h"
#include "runtime/sync/send_result.h"
#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::oneshot {

template <class T>
class Sender;
template <class T>
class Receiver;

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel();

template <class T>
class Sender {
 public:
  Sender(Sender&& other) noexcept
      : shared_(std::exchange(other.shared_, nullptr)) {}
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      Drop();
      shared_ = std::exchange(other.shared_, nullptr);
    }
    return *this;
  }
  ~Sender() { Drop(); }

  // Delivers `value`: ok(), or the value back (kClosed) if the receiver is
  // gone or closed (then nothing was sent). Consumes the sender: a second
  // Send, or one after the sender was moved from, throws std::logic_error.
  SendResult<T> Send(T value);

  // Whether the receiver is gone or closed: a Send would hand back. (An
  // empty sender, sent or moved from: true.)
  bool IsClosed() const {
    return shared_ == nullptr ||
           (shared_->Load() & internal::kReceiverGone) != 0;
  }

  // Completes once the receiver is gone or closed (tokio's closed()).
  class ClosedAwaiter;
  ClosedAwaiter Closed() { return ClosedAwaiter(Checked("Closed")); }

 private:
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>();
  explicit Sender(internal::Shared<T>* shared) : shared_(shared) {}
  internal::Shared<T>* Checked(const char* operation) const {
    if (shared_ == nullptr) {
      throw std::logic_error(std::string("weft: oneshot::Sender::") +
                             operation + " after Send or move");
    }
    return shared_;
  }
  static SendResult<T> Refused(T&& value) {
    return SendResult<T>::Refused(std::move(value), SendError::kClosed,
                                  "oneshot::Sender::Send");
  }
  void Drop();

  internal::Shared<T>* shared_;  // one reference; null once sent or moved
};

template <class T>
class Receiver {
 public:
  enum class TryError { kEmpty, kClosed };

  Receiver(Receiver&& other) noexcept
      : shared_(std::exchange(other.shared_, nullptr)) {}
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      Drop();
      shared_ = std::exchange(other.shared_, nullptr);
    }
    return *this;
  }
  ~Receiver() { Drop(); }

  // The value if it came; else whether it may still come (kEmpty) or never
  // will (kClosed: the sender is gone, the receiver closed, or the value
  // was taken already; an empty receiver too).
  std::optional<T> TryRecv(TryError* error = nullptr);

  // Refuses the value from now on; one already sent can still be taken.
  void Close();

  // Awaiting an empty receiver (moved from) throws std::logic_error.
  class Awaiter;
  Awaiter operator co_await() & { return Awaiter(Checked()); }
  Awaiter operator co_await() && { return Awaiter(Checked()); }

 private:
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>();
  explicit Receiver(internal::Shared<T>* shared) : shared_(shared) {}
  internal::Shared<T>* Checked() const {
    return weft::internal::NonEmpty(shared_, "oneshot::Receiver", "co_await");
  }
  void Drop() {
    if (shared_ == nullptr) return;
    internal::Shared<T>* shared = std::exchange(shared_, nullptr);
    const uint8_t prev = internal::Shared<T>::End(
        shared, internal::kReceiverGone, internal::kReceiverDropped,
        internal::kSenderParked);
    if ((prev & internal::kSenderParked) != 0) {
      shared->Wake(shared->sender_waker);
      internal::Shared<T>::Drop(shared, internal::kReceiverDropped);
    }
  }

  internal::Shared<T>* shared_;  // one reference; null once moved
};

// One receive. Parks until the receive can finish; the executor resumes
// the task only then (the ready check). Destroyed while parked: takes its
// waker back.
template <class T>
class [[nodiscard]] [[gnu::warn_unused]] Receiver<T>::Awaiter
    : private weft::internal::ReadyCheck {
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
    if (parked_) {
      shared_->Unpark(shared_->receiver_waker, internal::kReceiverParked);
    }
  }

  bool await_ready() { return weft::internal::FinishNow(Done(shared_)); }
  void await_suspend(std::coroutine_handle<> self) {
    weft::internal::ParkedTask parked(self, "oneshot::Receiver");
    if (parked.YieldIf(Done(shared_))) return;
    if (parked.YieldIf(
            !shared_->Park(shared_->receiver_waker, parked.NewWaker(),
                           internal::kReceiverParked, internal::kRecvDone))) {
      return;
    }
    parked_ = true;
    ready = [](const weft::internal::ReadyCheck* check) {
      return Done(static_cast<const Awaiter*>(check)->shared_);
    };
    parked.WaitFor(this);
  }
  // Reached only once the receive can finish: the value, if one was sent,
  // is the receiver's alone.
  std::optional<T> await_resume() {
    if (parked_) {
      shared_->Unpark(shared_->receiver_waker, internal::kReceiverParked);
      parked_ = false;
    }
    if ((shared_->Load() & internal::kValueSent) == 0) return std::nullopt;
    return std::exchange(shared_->value, std::nullopt);
  }

 private:
  static bool Done(const internal::Shared<T>* shared) {
    return (shared->Load() & internal::kRecvDone) != 0;
  }

  internal::Shared<T>* shared_;
  bool parked_ = false;
};

// Parks a sender until the receiver is gone or closed (the ready check: a
// stray wake leaves it parked).
template <class T>
class [[nodiscard]] [[gnu::warn_unused]] Sender<T>::ClosedAwaiter
    : private weft::internal::ReadyCheck {
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
    if (parked_) {
      shared_->Unpark(shared_->sender_waker, internal::kSenderParked);
    }
  }

  bool await_ready() {
    return weft::internal::FinishNow(ReceiverGone(shared_));
  }
  void await_suspend(std::coroutine_handle<> self) {
    weft::internal::ParkedTask parked(self, "oneshot::Sender::Closed");
    if (parked.YieldIf(ReceiverGone(shared_))) return;
    if (parked.YieldIf(!shared_->Park(shared_->sender_waker, parked.NewWaker(),
                                      internal::kSenderParked,
                                      internal::kReceiverGone))) {
      return;
    }
    parked_ = true;
    ready = [](const weft::internal::ReadyCheck* check) {
      return ReceiverGone(static_cast<const ClosedAwaiter*>(check)->shared_);
    };
    parked.WaitFor(this);
  }
  void await_resume() {
    if (parked_) {
      shared_->Unpark(shared_->sender_waker, internal::kSenderParked);
      parked_ = false;
    }
  }

 private:
  static bool ReceiverGone(const internal::Shared<T>* shared) {
    return (shared->Load() & internal::kReceiverGone) != 0;
  }

  internal::Shared<T>* shared_;
  bool parked_ = false;
};

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel() {
  auto* shared = new internal::Shared<T>();  // deleted by the last end
  return {Sender<T>(shared), Receiver<T>(shared)};
}

template <class T>
SendResult<T> Sender<T>::Send(T value) {
  using internal::Shared;
  Shared<T>* shared = Checked("Send");
  shared_ = nullptr;
  if ((shared->Load() & internal::kReceiverGone) != 0) {
    // Gone long ago: the value is not even written.
    Shared<T>::End(shared, internal::kSenderGone, internal::kSenderDropped, 0);
    return Refused(std::move(value));
  }
  shared->value.emplace(std::move(value));
  // End's step, with Send's condition: the value is published only if the
  // receiver has not gone; if it has, the sender keeps its reference until
  // it has taken the value back.
  uint8_t prev = shared->state.load(std::memory_order_relaxed);
  uint8_t next;
  do {
    if ((prev & internal::kReceiverGone) != 0) {
      next = prev | internal::kSenderGone;
    } else {
      next = prev | internal::kValueSent | internal::kSenderGone;
      if ((prev & internal::kReceiverParked) == 0) {
        next |= internal::kSenderDropped;
      }
    }
  } while (!shared->state.compare_exchange_weak(
      prev, next, std::memory_order_acq_rel, std::memory_order_acquire));
  if ((prev & internal::kReceiverGone) != 0) {
    // Gone meanwhile: kValueSent was not set, so the receiver never reads
    // `value`, and it is still the sender's to take back.
    SendResult<T> back = Refused(std::move(*shared->value));
    shared->value.reset();
    Shared<T>::Drop(shared, internal::kSenderDropped);
    return back;
  }
  if ((prev & internal::kReceiverParked) != 0) {
    shared->Wake(shared->receiver_waker);
    Shared<T>::Drop(shared, internal::kSenderDropped);
  }
  return SendResult<T>::Sent();
}

template <class T>
void Sender<T>::Drop() {
  using internal::Shared;
  if (shared_ == nullptr) return;
  Shared<T>* shared = std::exchange(shared_, nullptr);
  const uint8_t prev =
      Shared<T>::End(shared, internal::kSenderGone, internal::kSenderDropped,
                     internal::kReceiverParked);
  if ((prev & internal::kReceiverParked) != 0) {
    shared->Wake(shared->receiver_waker);
    Shared<T>::Drop(shared, internal::kSenderDropped);
  }
}

template <class T>
std::optional<T> Receiver<T>::TryRecv(TryError* error) {
  if (shared_ == nullptr) {
    if (error != nullptr) *error = TryError::kClosed;
    return std::nullopt;
  }
  const uint8_t state = shared_->Load();
  if ((state & internal::kValueSent) != 0 && shared_->value) {
    return std::exchange(shared_->value, std::nullopt);
  }
  if (error != nullptr) {
    *error = (state & (internal::kSenderGone | internal::kReceiverGone)) != 0
                 ? TryError::kClosed
                 : TryError::kEmpty;
  }
  return std::nullopt;
}

template <class T>
void Receiver<T>::Close() {
  if (shared_ == nullptr) return;
  // Once the sender is done nobody reads kReceiverGone but this end, and
  // a receive is done already: skip the write.
  if ((shared_->Load() & internal::kSenderGone) != 0) return;
  if ((shared_->Set(internal::kReceiverGone) & internal::kSenderParked) != 0) {
    shared_->Wake(shared_->sender_waker);
  }
}

}  // namespace weft::oneshot

#endif  // WEFT_RUNTIME_SYNC_ONESHOT_H_
