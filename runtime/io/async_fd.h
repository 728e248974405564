// AsyncFd: a non-blocking file descriptor registered with the reactor.
//
// The one door from I/O objects (net/, pipes, eventfds) into the reactor,
// after tokio's AsyncFd. Every operation is the same loop, written once
// here (tokio's async_io and try_io):
//
//   weft::Task<ssize_t> ReadSome(weft::AsyncFd& fd, std::span<char> buf) {
//     for (;;) {
//       co_await fd.Readable();          // parks only if not known ready
//       ssize_t n = ::read(fd.fd(), buf.data(), buf.size());  // non-blocking
//       if (n >= 0 || errno != EAGAIN) co_return n;  // done, or an error
//       fd.ClearReadable();              // the kernel says: not any more
//     }
//   }
//
// and its halves, as members:
//
//   AsyncIo(interest, op, finish)   the whole loop, as a task
//   TryIo(interest, op)             one try (the last three lines), for a
//                                   caller that awaits Ready() itself and
//                                   must not allocate (io::Copy).
//
// I/O is optimistic: a fresh fd counts as ready, so the first syscall is
// tried before anything parks; only EAGAIN clears readiness (io_slot.h).
// The socket calls net/ makes (Recv, Send, Accept) are here too, through
// the syscall seam (sys.h) that tests inject faults into; net/ cannot see
// the seam itself.
//
// An AsyncFd owns its fd: destroying it deregisters and closes it. It must be
// created, used and destroyed on its runtime's thread, and not outlive it.
#ifndef WEFT_RUNTIME_IO_ASYNC_FD_H_
#define WEFT_RUNTIME_IO_ASYNC_FD_H_

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>
#include <coroutine>
#include <cstdint>
#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "runtime/io/io_slot.h"
#include "runtime/task/task.h"

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

  enum class Interest { kReadable, kWritable };

  class ReadinessAwaiter;
  // Completes when the fd is (or may be) ready for `interest`, or closed or
  // failed. Readable() and Writable() are the two.
  ReadinessAwaiter Ready(Interest interest);
  ReadinessAwaiter Readable();
  ReadinessAwaiter Writable();

  // The kernel said EAGAIN: not ready any more, until the next edge.
  void ClearReady(Interest interest) {
    slot_->readiness &= interest == Interest::kReadable
                            ? ~internal::IoSlot::kReadable
                            : ~internal::IoSlot::kWritable;
  }
  void ClearReadable() { ClearReady(Interest::kReadable); }
  void ClearWritable() { ClearReady(Interest::kWritable); }

  // One try of `op`, a non-blocking syscall on this fd (() -> ssize_t, -1
  // with errno on failure). EINTR: tried again. EAGAIN: readiness for
  // `interest` is cleared and the answer is nullopt (await Ready(interest),
  // then try again). Otherwise op's result, n >= 0, or -errno.
  template <class Op>
  std::optional<ssize_t> TryIo(Interest interest, Op&& op);

  // Waits until `op` gives something other than EAGAIN, parking on
  // `interest` between tries, and yields finish(n) (n as TryIo gives it).
  // One task: a caller returns it as its own, and pays no second frame.
  template <class R, class Op, class Finish>
  Task<R> AsyncIo(Interest interest, Op op, Finish finish);

  // The socket calls, one attempt each, as TryIo's `op` wants them.
  ssize_t Recv(std::span<char> buf) const;        // recv(2)
  ssize_t Send(std::span<const char> buf) const;  // send(2), no SIGPIPE
  // accept4(2), the new fd non-blocking and close-on-exec.
  ssize_t Accept(sockaddr_storage* peer, socklen_t* len) const;
  // recvfrom(2) with `flags` (MSG_PEEK, MSG_TRUNC); `from` may be null.
  ssize_t RecvFrom(std::span<char> buf, int flags, sockaddr_storage* from,
                   socklen_t* from_len) const;
  // sendto(2), no SIGPIPE; `to` null for a connected socket.
  ssize_t SendTo(std::span<const char> buf, const sockaddr* to,
                 socklen_t to_len) const;

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
class [[nodiscard]] [[gnu::warn_unused]] AsyncFd::ReadinessAwaiter {
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

inline AsyncFd::ReadinessAwaiter AsyncFd::Ready(Interest interest) {
  return ReadinessAwaiter(slot_, interest == Interest::kWritable);
}
inline AsyncFd::ReadinessAwaiter AsyncFd::Readable() {
  return Ready(Interest::kReadable);
}
inline AsyncFd::ReadinessAwaiter AsyncFd::Writable() {
  return Ready(Interest::kWritable);
}

template <class Op>
std::optional<ssize_t> AsyncFd::TryIo(Interest interest, Op&& op) {
  for (;;) {
    const ssize_t n = op();
    if (n >= 0) return n;
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      ClearReady(interest);
      return std::nullopt;
    }
    if (err != EINTR) return -err;
  }
}

template <class R, class Op, class Finish>
Task<R> AsyncFd::AsyncIo(Interest interest, Op op, Finish finish) {
  for (;;) {
    co_await Ready(interest);
    if (std::optional<ssize_t> n = TryIo(interest, op)) {
      R result = finish(*n);
      co_return result;
    }
  }
}

}  // namespace weft

#endif  // WEFT_RUNTIME_IO_ASYNC_FD_H_
