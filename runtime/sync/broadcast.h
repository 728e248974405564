// broadcast: every receiver sees every message (tokio's sync::broadcast).
//
//   auto [tx, rx] = weft::broadcast::Channel<std::string>(16);   // keeps 16
//   auto rx2 = tx.Subscribe();                 // sees what follows
//   tx.Send("event").IgnoreError();            // not ok(): no receiver left
//   weft::broadcast::RecvResult<std::string> r = co_await rx.Recv();
//   if (r.ok()) {
//     std::puts(r.value().c_str());
//   } else if (r.lagged()) {   // r.skipped() messages were lost to it;
//   }                          // the next Recv gives the oldest one kept
//   // else closed: every sender gone, all received
//
// The channel keeps the last `capacity` messages. A receiver that falls
// more than that behind is told by how many it lagged, once, and goes on
// from the oldest message still kept: a slow receiver never slows the
// senders. Messages are copied to each receiver (T must be copyable).
//
// Threads: senders (copyable) and receivers may be used from any thread's
// tasks; a lock guards the ring. Cancel-safe: a Recv cancelled while it
// waits consumes nothing.
#ifndef WEFT_RUNTIME_SYNC_BROADCAST_H_
#define WEFT_RUNTIME_SYNC_BROADCAST_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "runtime/sync/list_awaiter.h"
#include "runtime/sync/send_result.h"
#include "runtime/sync/wait_list.h"
#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task_header.h"
#include "runtime/task/waker.h"

namespace weft::broadcast {

// What a Recv gives: a message, or how many were skipped (lagged), or the
// end (every sender gone and everything received).
template <class T>
class RecvResult {
 public:
  static RecvResult Value(T value) { return RecvResult(std::move(value), 0); }
  static RecvResult Lagged(uint64_t n) { return RecvResult(std::nullopt, n); }
  static RecvResult Closed() { return RecvResult(std::nullopt, 0); }

  bool ok() const { return value_.has_value(); }
  bool lagged() const { return skipped_ > 0; }
  bool closed() const { return !ok() && !lagged(); }
  uint64_t skipped() const { return skipped_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  RecvResult(std::optional<T> value, uint64_t skipped)
      : value_(std::move(value)), skipped_(skipped) {}
  std::optional<T> value_;
  uint64_t skipped_;
};

template <class T>
class Sender;
template <class T>
class Receiver;

namespace internal {

// The ring: message number p lives in ring[p % capacity] while
// p >= tail - capacity. `tail` (the next number) only grows, under mu; its
// atomic copy and `closed` are what the ready checks read without it.
template <class T>
struct Shared {
  explicit Shared(size_t capacity) : ring(capacity) {}

  std::mutex mu;
  std::vector<std::optional<T>> ring;
  uint64_t tail = 0;
  size_t senders = 1;
  size_t receivers = 1;
  std::atomic<uint64_t> published{0};  // == tail
  std::atomic<bool> closed{false};     // senders == 0
  weft::internal::WaitList<typename Receiver<T>::RecvAwaiter> waiting;

  // mu held.
  void WakeAll() {
    while (auto* waiter = waiting.front()) waiter->WakeLocked();
  }
};

}  // namespace internal

template <class T>
std::pair<Sender<T>, Receiver<T>> Channel(size_t capacity);

template <class T>
class Receiver {
 public:
  Receiver(Receiver&& other) noexcept
      : shared_(std::move(other.shared_)), next_(other.next_) {}
  Receiver& operator=(const Receiver&) = delete;
  ~Receiver() {
    if (!shared_) return;
    std::lock_guard<std::mutex> lock(shared_->mu);
    --shared_->receivers;
  }

  // A new receiver that sees only what is sent from now on.
  Receiver Resubscribe() const {
    Checked("Resubscribe");
    std::lock_guard<std::mutex> lock(shared_->mu);
    ++shared_->receivers;
    return Receiver(shared_, shared_->tail);
  }

  // One await of Recv(): parks until a message this receiver has not seen
  // is published, or every sender is gone (list_awaiter.h).
  class [[nodiscard]] [[gnu::warn_unused]] RecvAwaiter
      : public weft::internal::ListAwaiter<RecvAwaiter> {
   public:
    static constexpr const char* kName = "broadcast::Receiver::Recv";
    explicit RecvAwaiter(Receiver* receiver)
        : weft::internal::ListAwaiter<RecvAwaiter>(&receiver->shared_->mu,
                                                   &receiver->shared_->waiting),
          receiver_(receiver) {}
    RecvAwaiter(RecvAwaiter&&) noexcept = default;

    // Takes what is there only now: a cancelled Recv consumes nothing.
    RecvResult<T> await_resume() { return receiver_->Take(); }

    bool Ready() const {
      return receiver_->shared_->published.load(std::memory_order_acquire) !=
                 receiver_->next_ ||
             receiver_->shared_->closed.load(std::memory_order_acquire);
    }

   private:
    Receiver* receiver_;
  };
  RecvAwaiter Recv() {
    Checked("Recv");
    return RecvAwaiter(this);
  }

  // Without waiting: nullopt if nothing new and senders remain.
  std::optional<RecvResult<T>> TryRecv() {
    Checked("TryRecv");
    if (shared_->published.load(std::memory_order_acquire) == next_ &&
        !shared_->closed.load(std::memory_order_acquire)) {
      return std::nullopt;
    }
    return Take();
  }

 private:
  friend class Sender<T>;
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>(size_t capacity);
  Receiver(std::shared_ptr<internal::Shared<T>> shared, uint64_t next)
      : shared_(std::move(shared)), next_(next) {}
  void Checked(const char* operation) const {
    weft::internal::NonEmpty(shared_.get(), "broadcast::Receiver", operation);
  }

  RecvResult<T> Take() {
    std::lock_guard<std::mutex> lock(shared_->mu);
    const uint64_t capacity = shared_->ring.size();
    const uint64_t oldest =
        shared_->tail > capacity ? shared_->tail - capacity : 0;
    if (next_ < oldest) {  // overwritten: say so once, go on from there
      const uint64_t skipped = oldest - next_;
      next_ = oldest;
      return RecvResult<T>::Lagged(skipped);
    }
    if (next_ < shared_->tail) {
      return RecvResult<T>::Value(*shared_->ring[next_++ % capacity]);
    }
    return RecvResult<T>::Closed();  // only when closed: Ready said so
  }

  std::shared_ptr<internal::Shared<T>> shared_;
  uint64_t next_;  // the number of the next message to receive
};

template <class T>
class Sender {
 public:
  Sender(const Sender& other) : shared_(other.shared_) {
    if (!shared_) return;
    std::lock_guard<std::mutex> lock(shared_->mu);
    ++shared_->senders;
  }
  Sender(Sender&&) noexcept = default;
  Sender& operator=(const Sender&) = delete;
  ~Sender() {
    if (!shared_) return;
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (--shared_->senders > 0) return;
    shared_->closed.store(true, std::memory_order_release);
    shared_->WakeAll();
  }

  // Keeps `value` for every receiver: ok(), or the value back (kClosed) if
  // there is none.
  SendResult<T> Send(T value) {
    Checked("Send");
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->receivers == 0) {
      return SendResult<T>::Refused(std::move(value), SendError::kClosed,
                                    "broadcast::Sender::Send");
    }
    shared_->ring[shared_->tail % shared_->ring.size()].emplace(
        std::move(value));
    ++shared_->tail;
    shared_->published.store(shared_->tail, std::memory_order_release);
    shared_->WakeAll();
    return SendResult<T>::Sent();
  }

  // A receiver that sees what is sent from now on.
  Receiver<T> Subscribe() const {
    Checked("Subscribe");
    std::lock_guard<std::mutex> lock(shared_->mu);
    ++shared_->receivers;
    return Receiver<T>(shared_, shared_->tail);
  }
  // Receivers alive (an empty sender: 0).
  size_t ReceiverCount() const {
    if (!shared_) return 0;
    std::lock_guard<std::mutex> lock(shared_->mu);
    return shared_->receivers;
  }

 private:
  void Checked(const char* operation) const {
    weft::internal::NonEmpty(shared_.get(), "broadcast::Sender", operation);
  }
  friend std::pair<Sender<T>, Receiver<T>> Channel<T>(size_t capacity);
  explicit Sender(std::shared_ptr<internal::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  std::shared_ptr<internal::Shared<T>> shared_;
};

// A channel that keeps the last `capacity` (at least 1) messages.
template <class T>
std::pair<Sender<T>, Receiver<T>> Channel(size_t capacity) {
  if (capacity == 0) {
    throw std::invalid_argument("weft: broadcast::Channel: capacity 0");
  }
  auto shared = std::make_shared<internal::Shared<T>>(capacity);
  return {Sender<T>(shared), Receiver<T>(shared, 0)};
}

}  // namespace weft::broadcast

#endif  // WEFT_RUNTIME_SYNC_BROADCAST_H_
