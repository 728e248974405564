#include "runtime/io/async_fd.h"

#include <unistd.h>

#include <utility>

#include "runtime/io/reactor.h"
#include "runtime/io/sys/sys.h"
#include "runtime/task/context.h"
#include "runtime/task/leaf.h"
#include "runtime/task/schedule.h"

namespace weft {

absl::StatusOr<AsyncFd> AsyncFd::Create(int fd) {
  internal::Reactor& reactor = internal::CurrentReactor("AsyncFd::Create");
  absl::StatusOr<internal::IoSlot*> slot = reactor.Register(fd);
  if (!slot.ok()) {
    close(fd);
    return slot.status();
  }
  // Optimistic: try the first syscall before anything parks.
  (*slot)->readiness =
      internal::IoSlot::kReadable | internal::IoSlot::kWritable;
  return AsyncFd(&reactor, *slot);
}

AsyncFd::AsyncFd(AsyncFd&& other) noexcept
    : reactor_(std::exchange(other.reactor_, nullptr)),
      slot_(std::exchange(other.slot_, nullptr)) {}

AsyncFd& AsyncFd::operator=(AsyncFd&& other) noexcept {
  if (this != &other) {
    Reset();
    reactor_ = std::exchange(other.reactor_, nullptr);
    slot_ = std::exchange(other.slot_, nullptr);
  }
  return *this;
}

AsyncFd::~AsyncFd() { Reset(); }

void AsyncFd::Reset() {
  if (slot_ == nullptr) return;
  const int fd = std::move(*this).Release();
  close(fd);
}

int AsyncFd::Release() && {
  const int fd = slot_->fd;
  reactor_->Deregister(std::exchange(slot_, nullptr));
  reactor_ = nullptr;
  return fd;
}

ssize_t AsyncFd::Recv(std::span<char> buf) const {
  return internal::sys::Recv(fd(), buf.data(), buf.size(), 0);
}

ssize_t AsyncFd::Send(std::span<const char> buf) const {
  return internal::sys::Send(fd(), buf.data(), buf.size(), MSG_NOSIGNAL);
}

ssize_t AsyncFd::RecvFrom(std::span<char> buf, int flags,
                          sockaddr_storage* from, socklen_t* from_len) const {
  return internal::sys::RecvFrom(fd(), buf.data(), buf.size(), flags,
                                 reinterpret_cast<sockaddr*>(from), from_len);
}

ssize_t AsyncFd::SendTo(std::span<const char> buf, const sockaddr* to,
                        socklen_t to_len) const {
  return internal::sys::SendTo(fd(), buf.data(), buf.size(), MSG_NOSIGNAL, to,
                               to_len);
}

ssize_t AsyncFd::Accept(sockaddr_storage* peer, socklen_t* len) const {
  return internal::sys::Accept4(fd(), reinterpret_cast<sockaddr*>(peer), len,
                                SOCK_NONBLOCK | SOCK_CLOEXEC);
}

bool AsyncFd::ReadinessAwaiter::await_ready() {
  return internal::FinishNow((slot_->readiness & interest()) != 0);
}

void AsyncFd::ReadinessAwaiter::await_suspend(std::coroutine_handle<> self) {
  internal::ParkedTask parked(self, "AsyncFd readiness");
  if (parked.YieldIf((slot_->readiness & interest()) != 0)) return;
  Waker& slot_waiter = waiter();
  if (!slot_waiter.WillWake(&parked.task())) slot_waiter = parked.NewWaker();
  task_ = &parked.task();
  parked_ = true;
}

AsyncFd::ReadinessAwaiter::~ReadinessAwaiter() {
  // Cancelled while parked: leave no waker behind in the reactor. (If the
  // slot was retired meanwhile, its wakers were already dropped.)
  if (parked_ && slot_->generation == generation_ && waiter().WillWake(task_)) {
    waiter().Reset();
  }
}

}  // namespace weft
