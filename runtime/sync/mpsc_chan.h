// The state an mpsc channel's senders and receiver share (mpsc.h).
//
//   queue_      the messages, FIFO (taken_ holds the oldest, already
//               moved to the receiver's side); a bounded channel's room is the
//               `capacity_` semaphore: a sender takes a permit per message
//               and the receiver gives it back when it takes the message.
//   senders_    live senders; at 0 no message can come any more.
//   closed_     the receiver closed (or went): sends hand their value back.
//   ready_      queue_ not empty, or nothing more can come (no senders, or
//               closed): what the receiver's ready check reads (with
//               taken_), without the lock. Kept equal to that under mu_
//               by every change.
//
// Everything is guarded by mu_; the receiver's waker too. A thread in
// BlockingPush reads room_gen_, tries for room, and if there is none waits
// on room_ for room_gen_ to move; the receiver moves it after giving room
// back (and on close), so no wake-up falls between the try and the wait.
// room_gen_ and blocked_ are atomics, so that the receiver's side of this
// takes no lock while nobody blocks (GiveRoom says why that is safe).
#ifndef WEFT_RUNTIME_SYNC_MPSC_CHAN_H_
#define WEFT_RUNTIME_SYNC_MPSC_CHAN_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "runtime/sync/block_queue.h"
#include "runtime/sync/list_awaiter.h"
#include "runtime/sync/semaphore.h"
#include "runtime/sync/send_result.h"
#include "runtime/task/context.h"
#include "runtime/task/leaf.h"
#include "runtime/task/waker.h"

namespace weft::mpsc {

enum class TryRecvError { kEmpty, kDisconnected };

namespace internal {

// `value` back to its sender: the receiver is gone or closed.
template <class T>
SendResult<T> Refused(T&& value, const char* operation) {
  return SendResult<T>::Refused(std::move(value), SendError::kClosed,
                                operation);
}

template <class T>
class Chan {
 public:
  // `capacity` 0: unbounded (no semaphore).
  explicit Chan(size_t capacity)
      : capacity_(capacity > 0 ? std::make_unique<Semaphore>(capacity)
                               : nullptr) {}

  Semaphore& capacity() { return *capacity_; }
  // Receiver's thread.
  bool ready() const {
    return !taken_.empty() || ready_.load(std::memory_order_acquire);
  }
  bool closed() const { return closed_flag_.load(std::memory_order_acquire); }

  // One await of a sender's Closed(): parks until the receiver closes or
  // goes (list_awaiter.h); senders on any thread.
  class [[nodiscard]] [[gnu::warn_unused]] ClosedAwaiter
      : public weft::internal::ListAwaiter<ClosedAwaiter> {
   public:
    static constexpr const char* kName = "mpsc::Sender::Closed";
    explicit ClosedAwaiter(Chan* chan)
        : weft::internal::ListAwaiter<ClosedAwaiter>(&chan->mu_,
                                                     &chan->closed_waiters_),
          chan_(chan) {}
    ClosedAwaiter(ClosedAwaiter&&) noexcept = default;
    void await_resume() {}
    bool Ready() const { return chan_->closed(); }

   private:
    Chan* chan_;
  };

  void AddSender() {
    std::lock_guard<std::mutex> lock(mu_);
    ++senders_;
  }
  void DropSender() {
    Waker waker;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (--senders_ > 0) return;
      UpdateReady();
      waker = std::move(receiver_waker_);
    }
    std::move(waker).Wake();
  }

  // Queues `value` (a bounded sender holds its room already); hands it back
  // if the receiver closed. `operation` names the send that failed.
  SendResult<T> Push(T&& value, const char* operation) {
    Waker waker;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) {
        if (capacity_) capacity_->AddPermits(1);  // the room it held
        return Refused(std::move(value), operation);
      }
      queue_.push_back(std::move(value));
      ready_.store(true, std::memory_order_release);
      waker = std::move(receiver_waker_);
    }
    std::move(waker).Wake();
    return SendResult<T>::Sent();
  }

  SendResult<T> BlockingPush(T value) {
    static constexpr const char* kName = "mpsc::Sender::BlockingSend";
    if (weft::internal::tls_context.executor != nullptr) {
      throw std::logic_error(
          "weft: mpsc::Sender::BlockingSend on a runtime's thread; use "
          "co_await Send()");
    }
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (closed_) return Refused(std::move(value), kName);
      const uint64_t gen = room_gen_.load();
      lock.unlock();
      absl::StatusOr<Semaphore::Permit> room = capacity_->TryAcquire();
      if (room.ok()) {
        room->Forget();
        return Push(std::move(value), kName);
      }
      lock.lock();
      blocked_.fetch_add(1);
      room_.wait(lock, [&] { return room_gen_.load() != gen || closed_; });
      blocked_.fetch_sub(1);
    }
  }

  // Stores the receiver's waker, unless the channel is ready (false).
  bool Park(weft::internal::ParkedTask& parked) {
    if (!taken_.empty()) return false;
    std::lock_guard<std::mutex> lock(mu_);
    if (ready_.load(std::memory_order_relaxed)) return false;
    receiver_waker_ = parked.NewWaker();
    return true;
  }
  void Unpark() {
    Waker waker;
    std::lock_guard<std::mutex> lock(mu_);
    waker = std::move(receiver_waker_);  // dropped after the lock
  }

  // The oldest message, if any (the receiver's thread). Most receives find
  // it in taken_ and take no lock and no call.
  std::optional<T> PopOne() {
    if (taken_.empty() && !Refill()) return std::nullopt;
    std::optional<T> one(std::move(taken_.front()));
    taken_.pop_front();
    if (capacity_) GiveRoom(1);
    return one;
  }
  // Appends up to `limit` of the oldest messages to `many`; how many.
  size_t PopMany(std::vector<T>& many, size_t limit) {
    size_t count = 0;
    while (count < limit && (!taken_.empty() || Refill())) {
      many.push_back(std::move(taken_.front()));
      taken_.pop_front();
      ++count;
    }
    if (capacity_ && count > 0) GiveRoom(count);
    return count;
  }

  std::optional<T> TryPop(TryRecvError* why) {
    std::optional<T> one = PopOne();
    if (!one && why != nullptr) {
      std::lock_guard<std::mutex> lock(mu_);
      *why = senders_ == 0 || closed_ ? TryRecvError::kDisconnected
                                      : TryRecvError::kEmpty;
    }
    return one;
  }

  // The receiver closed (or, `drop_queued`, went: its messages go too).
  void CloseReceiver(bool drop_queued) {
    // Destroyed after the lock: a message's destructor may do anything.
    weft::internal::BlockQueue<T> dropped_taken, dropped_queued;
    if (drop_queued) dropped_taken.swap(taken_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      closed_flag_.store(true, std::memory_order_release);
      while (ClosedAwaiter* waiter = closed_waiters_.front()) {
        waiter->WakeLocked();
      }
      if (drop_queued) dropped_queued.swap(queue_);
      UpdateReady();
      room_gen_.fetch_add(1);
      room_.notify_all();
    }
    if (capacity_) capacity_->Close();  // waiting senders get their value back
  }

 private:
  // taken_ is empty: moves everything queued into it, in one lock, so the
  // next receives take none. The two queues trade places, blocks and all,
  // so neither allocates again. False if nothing was queued.
  bool Refill() {
    std::lock_guard<std::mutex> lock(mu_);
    taken_.swap(queue_);
    UpdateReady();
    return !taken_.empty();
  }

  // A bounded channel's receiver took `count` messages: their room goes
  // back to the senders.
  void GiveRoom(size_t count) {
    capacity_->AddPermits(count);
    // After the room is back, not before: a blocked sender that wakes must
    // find it. And always: a sender that read room_gen_ before its
    // TryAcquire failed, but is not yet counted in blocked_, sees the change
    // when it checks. Without the lock, as no thread blocks in nearly every
    // channel: the sender counts itself in blocked_ and then reads
    // room_gen_, this moves room_gen_ and then reads blocked_, all
    // sequentially consistent, so one of the two sees the other; and a
    // sender seen blocked is waiting, or about to under mu_, which the
    // notify takes first.
    room_gen_.fetch_add(1);
    if (blocked_.load() > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      room_.notify_all();
    }
  }

  // mu_ held.
  void UpdateReady() {
    ready_.store(!queue_.empty() || senders_ == 0 || closed_,
                 std::memory_order_release);
  }

  mutable std::mutex mu_;
  weft::internal::BlockQueue<T> queue_;
  // The receiver's side: what Refill moved out of queue_ in one batch and
  // has not handed out yet, older than anything in queue_. The receiver's
  // thread only, so no lock.
  weft::internal::BlockQueue<T> taken_;
  size_t senders_ = 1;
  bool closed_ = false;
  std::atomic<bool> closed_flag_{false};  // closed_, for reads without mu_
  weft::internal::WaitList<ClosedAwaiter> closed_waiters_;  // guarded by mu_
  Waker receiver_waker_;
  std::atomic<bool> ready_{false};
  std::condition_variable room_;
  std::atomic<uint64_t> room_gen_{0};  // written without mu_ (GiveRoom)
  std::atomic<int> blocked_{0};
  const std::unique_ptr<Semaphore> capacity_;  // null: unbounded
};

}  // namespace internal
}  // namespace weft::mpsc

#endif  // WEFT_RUNTIME_SYNC_MPSC_CHAN_H_
