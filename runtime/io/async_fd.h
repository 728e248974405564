// AsyncFd: a non-blocking file descriptor registered with the reactor.
//
// The one door from I/O objects (net/, pipes, eventfds) into the reactor,
// after tokio's AsyncFd. The pattern every operation follows:
//
//   for (;;) {
//     co_await fd.Readable();          // parks only if not known readable
//     ssize_t n = ::read(fd.fd(), ...);
//     if (n >= 0 || errno != EAGAIN) return n;   // done, or a real error
//     fd.ClearReadable();              // the kernel says: not any more
//   }
//
// I/O is optimistic: a fresh fd counts as ready, so the first syscall is
// tried before anything parks; only EAGAIN clears readiness (io_slot.h).
//
// An AsyncFd owns its fd: destroying it deregisters and closes it. It must be
// created, used and destroyed on its runtime's thread, and not outlive it.
#ifndef WEFT_RUNTIME_IO_ASYNC_FD_H_
#define WEFT_RUNTIME_IO_ASYNC_FD_H_

#include <coroutine>
#include <cstdint>

#include "absl/status/statusor.h"
#include "runtime/io/io_slot.h"

namespace weft::internal {
class Reactor;
class TaskHeader;
}  // namespace weft::internal

namespace weft {

class AsyncFd {
 public:
  // Registers `fd` with the current runtime's reactor and takes ownership
  // (on failure the fd is closed). `fd` must already be O_NONBLOCK.
  static absl::StatusOr<AsyncFd> Create(int fd);

  AsyncFd() = default;
  AsyncFd(AsyncFd&& other) noexcept;
  AsyncFd& operator=(AsyncFd&& other) noexcept;
  ~AsyncFd();

  int fd() const { return slot_ ? slot_->fd : -1; }
  bool valid() const { return slot_ != nullptr; }

  // Deregisters and hands the fd back without closing it.
  int Release() &&;

  class ReadinessAwaiter;
  // Completes when the fd is (or may be) readable, or closed or failed.
  ReadinessAwaiter Readable();
  // Completes when the fd is (or may be) writable, or closed or failed.
  ReadinessAwaiter Writable();

  // Called right after a syscall returned EAGAIN.
  void ClearReadable() { slot_->readiness &= ~internal::IoSlot::kReadable; }
  void ClearWritable() { slot_->readiness &= ~internal::IoSlot::kWritable; }

 private:
  AsyncFd(internal::Reactor* reactor, internal::IoSlot* slot)
      : reactor_(reactor), slot_(slot) {}
  void Reset();

  internal::Reactor* reactor_ = nullptr;
  internal::IoSlot* slot_ = nullptr;
};

// Parks the awaiting task on one direction of an IoSlot.
//
// States: ready at once (the interest bits are set and the coop budget
// allows: no suspension) -> yield (bits set but budget spent: requeue self)
// -> parked (waker stored in the slot; the reactor wakes it) -> resumed.
// Destroyed while parked (the task was cancelled): removes its waker, unless
// the slot was retired meanwhile (generation changed).
class AsyncFd::ReadinessAwaiter {
 public:
  ReadinessAwaiter(internal::IoSlot* slot, bool write)
      : slot_(slot), generation_(slot->generation), write_(write) {}
  ReadinessAwaiter(const ReadinessAwaiter&) = delete;
  ReadinessAwaiter& operator=(const ReadinessAwaiter&) = delete;
  ~ReadinessAwaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self);
  void await_resume() { parked_ = false; }

 private:
  Waker& waiter() { return write_ ? slot_->writer : slot_->reader; }
  uint32_t interest() const {
    return write_ ? internal::IoSlot::kWriteInterest
                  : internal::IoSlot::kReadInterest;
  }

  internal::IoSlot* slot_;
  internal::TaskHeader* task_ = nullptr;  // the parked task, for ~ only
  uint32_t generation_;
  bool write_;
  bool parked_ = false;
};

inline AsyncFd::ReadinessAwaiter AsyncFd::Readable() {
  return ReadinessAwaiter(slot_, false);
}
inline AsyncFd::ReadinessAwaiter AsyncFd::Writable() {
  return ReadinessAwaiter(slot_, true);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_IO_ASYNC_FD_H_
