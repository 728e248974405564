#include "runtime/io/reactor.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/io/sys/sys.h"

namespace weft::internal {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "weft: reactor: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

uint64_t Token(const IoSlot& slot) {
  return (uint64_t{slot.generation} << 32) | slot.index;
}

}  // namespace

Reactor::Reactor()
    : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      event_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      events_(new epoll_event[kMaxEvents]) {
  if (epoll_fd_ < 0) Die("epoll_create1");
  if (event_fd_ < 0) Die("eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = kWakeToken;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, event_fd_, &ev) != 0) {
    Die("epoll_ctl(eventfd)");
  }
}

void Reactor::Signal(int event_fd) noexcept {
  // EINTR is retried; the only other failure, EAGAIN, means the counter is
  // saturated, so the fd is readable already and the wake arrives.
  while (sys::EventfdWrite(event_fd, 1) != 0 && errno == EINTR) {
  }
}

Reactor::~Reactor() {
  close(event_fd_);
  close(epoll_fd_);
}

absl::StatusOr<IoSlot*> Reactor::Register(int fd) {
  IoSlot* slot;
  if (!free_.empty()) {
    slot = &slots_[free_.back()];
    free_.pop_back();
  } else {
    slot = &slots_.emplace_back();
    slot->index = static_cast<uint32_t>(slots_.size() - 1);
  }
  slot->fd = fd;
  slot->readiness = 0;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = Token(*slot);
  if (sys::EpollCtl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    const int err = errno;
    slot->fd = -1;
    free_.push_back(slot->index);
    return absl::ErrnoToStatus(err, absl::StrCat("epoll_ctl add fd ", fd));
  }
  return slot;
}

void Reactor::Deregister(IoSlot* slot) {
  // Fails only if the fd was already closed, which already removed it.
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, slot->fd, nullptr);
  ++slot->generation;
  slot->fd = -1;
  slot->readiness = 0;
  // Drop (not wake) the wakers: whoever parked here is being destroyed with
  // the I/O object, or will be cancelled.
  slot->reader.Reset();
  slot->writer.Reset();
  free_.push_back(slot->index);
}

size_t Reactor::waiters() const {
  size_t n = 0;
  for (const IoSlot& slot : slots_) n += bool(slot.reader) + bool(slot.writer);
  return n;
}

int Reactor::Poll(int timeout_ms) {
  const int n =
      sys::EpollWait(epoll_fd_, events_.get(), kMaxEvents, timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;  // a signal: the loop just goes round
    Die("epoll_wait");
  }
  for (int i = 0; i < n; ++i) Apply(events_[i].data.u64, events_[i].events);
  return n;
}

void Reactor::Apply(uint64_t token, uint32_t events) {
  if (token == kWakeToken) {
    // Reset the counter so that the next remote push is a fresh edge. The
    // tasks themselves are in the remote queue, drained by the executor.
    eventfd_t ignored;
    eventfd_read(event_fd_, &ignored);
    return;
  }
  const auto index = static_cast<uint32_t>(token);
  if (index >= slots_.size()) return;
  IoSlot& slot = slots_[index];
  if (slot.generation != static_cast<uint32_t>(token >> 32) || slot.fd < 0) {
    return;  // stale: the fd was deregistered after this event was queued
  }
  uint32_t ready = 0;
  if (events & EPOLLIN) ready |= IoSlot::kReadable;
  if (events & EPOLLOUT) ready |= IoSlot::kWritable;
  if (events & EPOLLRDHUP) ready |= IoSlot::kReadClosed;
  if (events & EPOLLHUP) ready |= IoSlot::kReadClosed | IoSlot::kWriteClosed;
  if (events & EPOLLERR) ready |= IoSlot::kError;
  slot.readiness |= ready;
  if ((ready & IoSlot::kReadInterest) && slot.reader) {
    std::move(slot.reader).Wake();
  }
  if ((ready & IoSlot::kWriteInterest) && slot.writer) {
    std::move(slot.writer).Wake();
  }
}

}  // namespace weft::internal
