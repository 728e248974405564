// Reactor: the epoll instance, the slab of IoSlots, and the wake eventfd.
//
// Each fd is registered once, edge-triggered, for IN|OUT|RDHUP when its I/O
// object is created, and never re-armed per operation. Poll() turns epoll
// events into readiness bits and wakes the tasks parked on them (io_slot.h).
// The eventfd is how other threads interrupt epoll_wait (remote_queue.h).
//
// Runtime thread only. net/ reaches it through AsyncFd, never directly.
#ifndef WEFT_RUNTIME_IO_REACTOR_H_
#define WEFT_RUNTIME_IO_REACTOR_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/io/io_slot.h"

struct epoll_event;  // <sys/epoll.h>: only reactor.cc needs it

namespace weft::internal {

class Reactor {
 public:
  static constexpr int kForever = -1;

  Reactor();  // aborts with a message if epoll or eventfd cannot be created
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Adds `fd` to epoll. The slot's address is stable until Deregister.
  absl::StatusOr<IoSlot*> Register(int fd);
  // Removes the fd from epoll (before the caller closes it) and retires the
  // slot: its generation changes, its wakers are dropped.
  void Deregister(IoSlot* slot);

  // Waits up to `timeout_ms` (kForever: no limit) for events and applies
  // them. Returns the number of events seen.
  int Poll(int timeout_ms);

  int event_fd() const { return event_fd_; }
  // Makes a Poll() waiting on `event_fd` (a duplicate of event_fd()) return:
  // how another thread wakes the runtime (RemoteQueue). Any thread.
  static void Signal(int event_fd) noexcept;
  // Number of fds registered now (for tests: nothing left behind).
  size_t registered() const { return slots_.size() - free_.size(); }
  // Number of wakers parked in slots (for tests: cancellation cleans up).
  size_t waiters() const;

 private:
  static constexpr uint64_t kWakeToken = ~uint64_t{0};
  static constexpr int kMaxEvents = 1024;  // per epoll_wait

  void Apply(uint64_t token, uint32_t events);

  int epoll_fd_;
  int event_fd_;
  std::deque<IoSlot> slots_;  // deque: addresses stay put as it grows
  std::vector<uint32_t> free_;
  std::unique_ptr<epoll_event[]> events_;  // kMaxEvents of them
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_IO_REACTOR_H_
