// IoSlot: the reactor's record for one registered file descriptor
// (tokio's ScheduledIo).
//
// Readiness state machine, per direction (read: kReadable; write: kWritable):
//
//     not ready ──epoll reports the edge──► ready ──op got EAGAIN──► not ready
//
//   * The reactor only sets bits (Reactor::Poll); an I/O operation clears
//     kReadable or kWritable only when its syscall said the kernel has no
//     more: EAGAIN, or a short read or write, which drained or filled the
//     kernel's buffer (AsyncFd::ClearReadable/ClearWritable).
//   * kReadClosed, kWriteClosed and kError are final: once seen, never
//     cleared, so every later operation tries its syscall and gets the EOF or
//     error from the kernel.
//   * Edge-triggered epoll reports each new edge once. No edge is lost,
//     because readiness is cleared synchronously right after the EAGAIN, on
//     the runtime thread, before the reactor can poll again: an edge that
//     arrives after the EAGAIN is still queued in the kernel and sets the bit
//     at the next poll. (tokio's driver keeps a tick to detect that race
//     across threads; with one thread it cannot happen.)
//
// Waiters: at most one reader and one writer task, so one task can read
// while another writes the same socket. A parked waiter's Waker is taken and
// woken when its direction becomes ready.
//
// Slot reuse: `generation` changes whenever the fd is deregistered; the epoll
// data word carries (index, generation), so an event for a closed fd still
// in the same epoll_wait batch is recognised as stale and dropped.
#ifndef WEFT_RUNTIME_IO_IO_SLOT_H_
#define WEFT_RUNTIME_IO_IO_SLOT_H_

#include <cstdint>

#include "runtime/task/waker.h"

namespace weft::internal {

struct IoSlot {
  enum Readiness : uint32_t {
    kReadable = 1 << 0,
    kWritable = 1 << 1,
    kReadClosed = 1 << 2,
    kWriteClosed = 1 << 3,
    kError = 1 << 4,
  };
  // Readiness that lets a reader (writer) try its syscall.
  static constexpr uint32_t kReadInterest = kReadable | kReadClosed | kError;
  static constexpr uint32_t kWriteInterest = kWritable | kWriteClosed | kError;

  int fd = -1;
  uint32_t index = 0;
  uint32_t generation = 0;
  uint32_t readiness = 0;
  Waker reader;
  Waker writer;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_IO_IO_SLOT_H_
