// The syscalls weft's I/O path and its frame pages make, behind one seam for
// fault injection.
//
// Normally each wrapper is the libc call itself, inlined: no cost. Built
// with WEFT_FAULT_INJECTION (the //runtime:runtime_with_faults and
// //net:net_with_faults variants, used only by tests/fault_injection_test),
// each first consults a table: "make the Nth call of this syscall from now
// fail with errno E". That is how tests reach error paths (EINTR, EAGAIN,
// ENOMEM, EMFILE, ECONNRESET, EPIPE) that a real kernel produces only
// rarely.
#ifndef WEFT_RUNTIME_IO_SYS_SYS_H_
#define WEFT_RUNTIME_IO_SYS_SYS_H_

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

namespace weft::internal::sys {

enum class Call {
  kAccept4,
  kRecv,
  kSend,
  kRecvFrom,
  kSendTo,
  kEpollCtl,
  kEpollWait,
  kEventfdWrite,
  kMmap,
  kCount
};

#ifdef WEFT_FAULT_INJECTION
// Makes the `nth` call (1 = the next one) of `call` fail with `err`.
void InjectFault(Call call, int nth, int err);
void ClearFaults();
// How many injected faults of `call` have not fired yet: lets a test wait
// until the operation it aimed at has met its fault.
int PendingFaults(Call call);
// If a fault is due for this call: sets errno and returns true.
bool FaultDue(Call call);
// Makes the next epoll_wait return this event (data word `token`) instead
// of waiting: how a test delivers an event for a slot that was reused.
void InjectEvent(uint64_t token, uint32_t events);
int TakeInjectedEvents(epoll_event* out, int max);
#else
constexpr bool FaultDue(Call) { return false; }
constexpr int TakeInjectedEvents(epoll_event*, int) { return 0; }
#endif

inline int Accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  if (FaultDue(Call::kAccept4)) return -1;
  return ::accept4(fd, addr, len, flags);
}
inline ssize_t Recv(int fd, void* buf, size_t len, int flags) {
  if (FaultDue(Call::kRecv)) return -1;
  return ::recv(fd, buf, len, flags);
}
inline ssize_t Send(int fd, const void* buf, size_t len, int flags) {
  if (FaultDue(Call::kSend)) return -1;
  return ::send(fd, buf, len, flags);
}
inline ssize_t RecvFrom(int fd, void* buf, size_t len, int flags,
                        sockaddr* addr, socklen_t* addr_len) {
  if (FaultDue(Call::kRecvFrom)) return -1;
  return ::recvfrom(fd, buf, len, flags, addr, addr_len);
}
inline ssize_t SendTo(int fd, const void* buf, size_t len, int flags,
                      const sockaddr* addr, socklen_t addr_len) {
  if (FaultDue(Call::kSendTo)) return -1;
  return ::sendto(fd, buf, len, flags, addr, addr_len);
}
inline int EpollCtl(int epfd, int op, int fd, epoll_event* ev) {
  if (FaultDue(Call::kEpollCtl)) return -1;
  return ::epoll_ctl(epfd, op, fd, ev);
}
inline int EventfdWrite(int fd, eventfd_t value) {
  if (FaultDue(Call::kEventfdWrite)) return -1;
  return ::eventfd_write(fd, value);
}
// Anonymous read-write memory, as the frame pages take it (frame_pages.cc).
inline void* MapMemory(size_t len) {
  if (FaultDue(Call::kMmap)) return MAP_FAILED;
  return ::mmap(nullptr, len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
inline int EpollWait(int epfd, epoll_event* events, int max, int timeout) {
  if (FaultDue(Call::kEpollWait)) return -1;
  if (const int n = TakeInjectedEvents(events, max); n > 0) return n;
  return ::epoll_wait(epfd, events, max, timeout);
}

}  // namespace weft::internal::sys

#endif  // WEFT_RUNTIME_IO_SYS_SYS_H_
