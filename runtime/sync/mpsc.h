// mpsc: a queue from many senders to one receiver (tokio's sync::mpsc).
//
//   auto [tx, rx] = weft::mpsc::Channel<std::string>(32);   // room for 32
//   weft::SendResult<std::string> sent = co_await tx.Send("job");
//                                     // waits while the channel is full;
//                                     // not ok(): the receiver is gone
//   while (std::optional<std::string> job = co_await rx.Recv()) {
//     std::puts(job->c_str());        // nullopt: every sender gone, drained
//   }
//
// The two kinds:
//
//   Channel(n)          bounded: Send waits for room (backpressure),
//                       Reserve() waits for room without a value yet,
//                       TrySend fails at once when full.
//   UnboundedChannel()  Send never waits (memory is the only bound).
//
// Senders are copyable and may be used from any thread; from a thread that
// is not a runtime's (a std::thread, a blocking job), BlockingSend waits
// for room by blocking that thread. Messages from one sender arrive in the
// order it sent them. The receiver is used on its runtime's thread.
//
// Every send gives a SendResult (send_result.h): ok() when queued; else
// the value back, with kClosed, or kFull from a TrySend that found no room.
//
// Closing: Recv returns nullopt once every sender is gone and the queue is
// drained; Receiver::Close() (or dropping the receiver) fails later sends,
// which hand their value back, while what is queued can still be received.
// A sender sees it with IsClosed(), or waits for it with Closed() (a
// producer's cue to stop, even with nothing to send).
//
// Cancel-safety: a cancelled Recv loses no message (it takes one only when
// it resumes); a cancelled Send has sent nothing (its value is dropped with
// it, as in tokio); a cancelled Reserve holds no room.
#ifndef WEFT_RUNTIME_SYNC_MPSC_H_
#define WEFT_RUNTIME_SYNC_MPSC_H_

#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/sync/mpsc_chan.h"
#include "runtime/sync/semaphore.h"
#include "runtime/sync/send_result.h"
#include "runtime/task/leaf.h"
#include "runtime/task/misuse.h"
#include "runtime/task/task.h"

namespace weft::mpsc {

template <class T>
class Receiver;

// A bounded channel's sender.
template <class T>
class Sender {
 public:
  Sender(const Sender& other) : chan_(other.chan_) {
    if (chan_) chan_->AddSender();
  }
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender other) noexcept {
    std::swap(chan_, other.chan_);
    return *this;
  }
  ~Sender() {
    if (chan_) chan_->DropSender();
  }

  // One await of Send(value): waits for room (the semaphore's Acquire,
  // held inline: no frame of its own), then queues the value. Movable
  // until awaited, as every awaiter of sync/ (Timeout, Select).
  class [[nodiscard]] [[gnu::warn_unused]] SendAwaiter {
   public:
    static constexpr const char* kSendName = "mpsc::Sender::Send";
    SendAwaiter(internal::Chan<T>* chan, T value)
        : chan_(chan),
          room_(chan->capacity().Acquire()),
          value_(std::move(value)) {}
    SendAwaiter(SendAwaiter&&) noexcept = default;
    SendAwaiter& operator=(SendAwaiter&&) = delete;

    bool await_ready() { return room_.await_ready(); }
    void await_suspend(std::coroutine_handle<> self) {
      room_.await_suspend(self);
    }
    SendResult<T> await_resume() {
      absl::StatusOr<Semaphore::Permit> room = room_.await_resume();
      if (!room.ok()) return internal::Refused(std::move(value_), kSendName);
      room->Forget();  // the message holds the room until it is received
      return chan_->Push(std::move(value_), kSendName);
    }

   private:
    internal::Chan<T>* chan_;
    Semaphore::AcquireAwaiter room_;
    T value_;
  };

  // Waits for room, then queues `value`: ok(), or the value back (kClosed)
  // because the receiver is gone or closed. The sender must outlive the
  // await.
  SendAwaiter Send(T value) {
    return SendAwaiter(Checked("Send"), std::move(value));
  }

  // Queues `value` if there is room now; else hands it back, saying why
  // (kFull or kClosed).
  SendResult<T> TrySend(T value) {
    internal::Chan<T>* chan = Checked("TrySend");
    if (chan->closed()) return internal::Refused(std::move(value), kTryName);
    absl::StatusOr<Semaphore::Permit> room = chan->capacity().TryAcquire();
    if (!room.ok()) {
      return SendResult<T>::Refused(std::move(value), SendError::kFull,
                                    kTryName);
    }
    room->Forget();  // the message holds the room until it is received
    return chan->Push(std::move(value), kTryName);
  }

  // From a thread that runs no runtime: blocks it until there is room.
  // Throws std::logic_error on a runtime's thread (it would block every
  // task there).
  SendResult<T> BlockingSend(T value) {
    return Checked("BlockingSend")->BlockingPush(std::move(value));
  }

  // Room for one message, taken ahead of the message itself (tokio's
  // reserve): Send on the permit cannot wait or fail for room.
  class Permit {
   public:
    Permit(Permit&& other) noexcept
        : chan_(std::exchange(other.chan_, nullptr)) {}
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (chan_ != nullptr) chan_->capacity().AddPermits(1);  // unused
    }
    // Queues `value` in the reserved room; hands it back if closed since.
    // Consumes the permit: a second Send throws std::logic_error.
    SendResult<T> Send(T value) {
      internal::Chan<T>* chan = std::exchange(chan_, nullptr);
      if (chan == nullptr) {
        throw std::logic_error(
            "weft: mpsc::Sender::Permit used after Send or move");
      }
      return chan->Push(std::move(value), "mpsc::Sender::Permit::Send");
    }

   private:
    friend class Sender;
    explicit Permit(internal::Chan<T>* chan) : chan_(chan) {}
    internal::Chan<T>* chan_;
  };
  // The permit, or FailedPrecondition once the receiver is gone or closed.
  Task<absl::StatusOr<Permit>> Reserve() {
    return ReserveOn(Checked("Reserve"));
  }

  // Whether a send would hand its value back (an empty sender: true).
  bool IsClosed() const { return !chan_ || chan_->closed(); }
  // Completes once the receiver is closed or gone: a producer's cue to
  // stop (tokio's closed()). Cancel-safe.
  typename internal::Chan<T>::ClosedAwaiter Closed() const {
    return typename internal::Chan<T>::ClosedAwaiter(Checked("Closed"));
  }

 private:
  static constexpr const char* kTryName = "mpsc::Sender::TrySend";
  internal::Chan<T>* Checked(const char* operation) const {
    return weft::internal::NonEmpty(chan_.get(), "mpsc::Sender", operation);
  }

  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> Channel(size_t capacity);
  explicit Sender(std::shared_ptr<internal::Chan<T>> chan)
      : chan_(std::move(chan)) {}

  static Task<absl::StatusOr<Permit>> ReserveOn(internal::Chan<T>* chan) {
    absl::StatusOr<Semaphore::Permit> room =
        co_await chan->capacity().Acquire();
    if (!room.ok()) {
      co_return absl::FailedPreconditionError("reserve: channel closed");
    }
    room->Forget();
    co_return Permit(chan);
  }

  std::shared_ptr<internal::Chan<T>> chan_;
};

// An unbounded channel's sender: Send never waits.
template <class T>
class UnboundedSender {
 public:
  UnboundedSender(const UnboundedSender& other) : chan_(other.chan_) {
    if (chan_) chan_->AddSender();
  }
  UnboundedSender(UnboundedSender&&) noexcept = default;
  UnboundedSender& operator=(UnboundedSender other) noexcept {
    std::swap(chan_, other.chan_);
    return *this;
  }
  ~UnboundedSender() {
    if (chan_) chan_->DropSender();
  }

  // ok(), or the value back (kClosed: the receiver is gone or closed).
  SendResult<T> Send(T value) {
    return Checked("Send")->Push(std::move(value),
                                 "mpsc::UnboundedSender::Send");
  }
  // Whether a send would hand its value back (an empty sender: true).
  bool IsClosed() const { return !chan_ || chan_->closed(); }
  // Completes once the receiver is closed or gone: a producer's cue to
  // stop (tokio's closed()). Cancel-safe.
  typename internal::Chan<T>::ClosedAwaiter Closed() const {
    return typename internal::Chan<T>::ClosedAwaiter(Checked("Closed"));
  }

 private:
  internal::Chan<T>* Checked(const char* operation) const {
    return weft::internal::NonEmpty(chan_.get(), "mpsc::UnboundedSender",
                                    operation);
  }
  template <class U>
  friend std::pair<UnboundedSender<U>, Receiver<U>> UnboundedChannel();
  explicit UnboundedSender(std::shared_ptr<internal::Chan<T>> chan)
      : chan_(std::move(chan)) {}
  std::shared_ptr<internal::Chan<T>> chan_;
};

template <class T>
class Receiver {
 public:
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&&) = delete;
  ~Receiver() {
    if (chan_) chan_->CloseReceiver(/*drop_queued=*/true);
  }

  // One await of Recv() or RecvMany(). Takes messages only when it
  // resumes, so a cancelled one loses none. The executor resumes the task
  // only once the channel is ready (a message, or no more to come).
  class RecvAwaiterBase : private weft::internal::ReadyCheck {
   public:
    explicit RecvAwaiterBase(internal::Chan<T>* chan) : chan_(chan) {}
    RecvAwaiterBase(RecvAwaiterBase&& other) noexcept : chan_(other.chan_) {
      if (other.parked_) {
        weft::internal::AwaiterMovedAfterAwait("mpsc::Receiver::Recv");
      }
    }
    RecvAwaiterBase(const RecvAwaiterBase&) = delete;
    RecvAwaiterBase& operator=(const RecvAwaiterBase&) = delete;
    ~RecvAwaiterBase() {
      if (parked_) chan_->Unpark();
    }
    bool await_ready() { return weft::internal::FinishNow(chan_->ready()); }
    void await_suspend(std::coroutine_handle<> self) {
      weft::internal::ParkedTask parked(self, "mpsc::Receiver::Recv");
      if (parked.YieldIf(!chan_->Park(parked))) return;
      parked_ = true;
      ready = [](const weft::internal::ReadyCheck* check) {
        return static_cast<const RecvAwaiterBase*>(check)->chan_->ready();
      };
      parked.WaitFor(this);
    }

   protected:
    // The channel, done with the wait: what the caller takes, it takes now.
    internal::Chan<T>* Finish() {
      if (parked_) {
        chan_->Unpark();
        parked_ = false;
      }
      return chan_;
    }

   private:
    internal::Chan<T>* chan_;
    bool parked_ = false;
  };
  class [[nodiscard]] [[gnu::warn_unused]] RecvAwaiter
      : public RecvAwaiterBase {
   public:
    explicit RecvAwaiter(internal::Chan<T>* chan) : RecvAwaiterBase(chan) {}
    std::optional<T> await_resume() { return this->Finish()->PopOne(); }
  };
  class [[nodiscard]] [[gnu::warn_unused]] RecvManyAwaiter
      : public RecvAwaiterBase {
   public:
    RecvManyAwaiter(internal::Chan<T>* chan, std::vector<T>* out, size_t limit)
        : RecvAwaiterBase(chan), out_(out), limit_(limit) {}
    size_t await_resume() { return this->Finish()->PopMany(*out_, limit_); }

   private:
    std::vector<T>* out_;
    size_t limit_;
  };

  // The next message; nullopt once every sender is gone (or the receiver
  // closed) and the queue is drained.
  RecvAwaiter Recv() { return RecvAwaiter(Checked("Recv")); }
  // Appends up to `limit` queued messages to `out` (waiting for the
  // first); 0 once closed and drained.
  RecvManyAwaiter RecvMany(std::vector<T>& out, size_t limit) {
    return RecvManyAwaiter(Checked("RecvMany"), &out, limit);
  }

  std::optional<T> TryRecv(TryRecvError* why = nullptr) {
    return Checked("TryRecv")->TryPop(why);
  }

  // Refuses further sends (they hand their values back); what is queued
  // can still be received.
  void Close() {
    if (chan_) chan_->CloseReceiver(/*drop_queued=*/false);
  }

 private:
  internal::Chan<T>* Checked(const char* operation) const {
    return weft::internal::NonEmpty(chan_.get(), "mpsc::Receiver", operation);
  }
  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> Channel(size_t capacity);
  template <class U>
  friend std::pair<UnboundedSender<U>, Receiver<U>> UnboundedChannel();
  explicit Receiver(std::shared_ptr<internal::Chan<T>> chan)
      : chan_(std::move(chan)) {}
  std::shared_ptr<internal::Chan<T>> chan_;
};

// A channel with room for `capacity` messages (at least 1).
template <class T>
std::pair<Sender<T>, Receiver<T>> Channel(size_t capacity) {
  if (capacity == 0) {
    throw std::invalid_argument("weft: mpsc::Channel: capacity 0");
  }
  auto chan = std::make_shared<internal::Chan<T>>(capacity);
  return {Sender<T>(chan), Receiver<T>(chan)};
}

template <class T>
std::pair<UnboundedSender<T>, Receiver<T>> UnboundedChannel() {
  auto chan = std::make_shared<internal::Chan<T>>(0);
  return {UnboundedSender<T>(chan), Receiver<T>(chan)};
}

}  // namespace weft::mpsc

#endif  // WEFT_RUNTIME_SYNC_MPSC_H_
