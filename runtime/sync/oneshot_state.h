// The state a oneshot channel's two ends share (oneshot.h): one atomic
// state word that carries the whole channel, the value, and the wakers of
// a parked end. Internal: users see only Sender and Receiver.
#ifndef WEFT_RUNTIME_SYNC_ONESHOT_STATE_H_
#define WEFT_RUNTIME_SYNC_ONESHOT_STATE_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/task/waker.h"

namespace weft::oneshot {
namespace internal {

// What both ends share. The state word, each bit set once and never
// cleared except the two "parked" bits:
//
//   kValueSent        `value` holds the sent value. Set by Send together
//                     with kSenderGone, and only if kReceiverGone is not:
//                     a Send that finds the receiver gone hands back.
//   kSenderGone       the sender sent or went: nothing more will arrive.
//   kReceiverGone     the receiver closed or went: a Send hands back, and a
//                     receive finds what was sent before, or nothing.
//   kReceiverParked   receiver_waker is set: whoever finishes the sender's
//                     side must wake it. Set and cleared by the receiver,
//                     under `mu`, and set only while nothing has ended.
//   kSenderParked     the same for a sender in Closed() and sender_waker.
//   kSenderDropped,   that end will not touch the state again: its last
//   kReceiverDropped  access. Whichever end sets its bit and finds the
//                     other's already set deletes the state. (They are the
//                     reference count: two ends, two bits.)
//
// Who touches `value`: the sender writes it before it publishes
// kValueSent (release), the receiver reads it only after it saw that bit
// (acquire), and nobody else, so `value` needs no lock. The wakers are
// behind `mu`, which is taken only when an end parked: a value sent before
// its receive, as in a Select whose oneshot is ready, takes no lock at all,
// and each end ends with one atomic step (its "gone" and "dropped" bits
// together) unless it has the other to wake first.
// Why a parked end is never missed: it stores its waker and sets its bit
// with one compare-and-swap that fails if the other side ended; the other
// side's ending is one atomic read-modify-write that returns the bits
// before it. Of the two, whichever comes second sees the first.
enum : uint8_t {
  kValueSent = 1,
  kSenderGone = 2,
  kReceiverGone = 4,
  kReceiverParked = 8,
  kSenderParked = 16,
  kSenderDropped = 32,
  kReceiverDropped = 64,
};
// A receive can finish: the value is there, or it never will be.
inline constexpr uint8_t kRecvDone = kValueSent | kSenderGone | kReceiverGone;

template <class T>
struct Shared {
  std::atomic<uint8_t> state{0};
  std::optional<T> value;
  std::mutex mu;  // guards the two wakers
  Waker receiver_waker;
  Waker sender_waker;

  uint8_t Load() const { return state.load(std::memory_order_acquire); }
  // Sets `bits` unless the state has one of `unless`; the state before.
  uint8_t SetUnless(uint8_t bits, uint8_t unless) {
    uint8_t prev = state.load(std::memory_order_relaxed);
    while ((prev & unless) == 0 &&
           !state.compare_exchange_weak(prev, prev | bits,
                                        std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
    }
    return prev;
  }
  uint8_t Set(uint8_t bits) {
    return state.fetch_or(bits, std::memory_order_acq_rel);
  }
  // Stores `waker` in `slot` and sets `parked` unless one of `done` is set
  // (then the waker is dropped): whether it parked.
  bool Park(Waker& slot, Waker waker, uint8_t parked, uint8_t done) {
    std::lock_guard<std::mutex> lock(mu);
    slot = std::move(waker);
    if ((SetUnless(parked, done) & done) == 0) return true;
    slot.Reset();
    return false;
  }
  // The parked end resumed, or gave up: nothing to wake any more.
  void Unpark(Waker& slot, uint8_t parked) {
    std::lock_guard<std::mutex> lock(mu);
    slot.Reset();
    state.fetch_and(static_cast<uint8_t>(~parked), std::memory_order_relaxed);
  }
  // The other end saw `parked` when it ended: wake the parked one.
  void Wake(Waker& slot) {
    Waker waker;
    {
      std::lock_guard<std::mutex> lock(mu);
      waker = std::move(slot);
    }
    std::move(waker).Wake();
  }
  // One end's last step: sets `bits`, and with them the end's `dropped`
  // bit unless the other end is parked (`other_parked`): that one must be
  // woken first (Wake, then Drop). Deletes the state if the other end had
  // dropped already. Returns the state before.
  static uint8_t End(Shared* shared, uint8_t bits, uint8_t dropped,
                     uint8_t other_parked) {
    uint8_t prev = shared->state.load(std::memory_order_relaxed);
    uint8_t next;
    do {
      next = prev | bits;
      if ((prev & other_parked) == 0) next |= dropped;
    } while (!shared->state.compare_exchange_weak(
        prev, next, std::memory_order_acq_rel, std::memory_order_acquire));
    if ((next & dropped) != 0 && (prev & OtherDropped(dropped)) != 0) {
      delete shared;
    }
    return prev;
  }
  // Sets the end's `dropped` bit after End left it to the caller.
  static void Drop(Shared* shared, uint8_t dropped) {
    if ((shared->Set(dropped) & OtherDropped(dropped)) != 0) delete shared;
  }
  static uint8_t OtherDropped(uint8_t dropped) {
    return dropped == kSenderDropped ? kReceiverDropped : kSenderDropped;
  }
};

}  // namespace internal

}  // namespace weft::oneshot

#endif  // WEFT_RUNTIME_SYNC_ONESHOT_STATE_H_
