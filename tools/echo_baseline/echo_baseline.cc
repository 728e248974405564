// The reference echo server: hand-written raw epoll, what a runtime's echo
// is measured against (tools/bench/echo.sh, docs/benchmarks.md).
//
//   tools/bazel run -c opt //tools/echo_baseline -- --addr=127.0.0.1:8080
//
// One thread, edge-triggered epoll, a buffer per connection allocated
// only while it holds unsent data. For each readiness event: read until
// EAGAIN, writing each chunk straight back; if the peer cannot take it all,
// keep the rest, stop reading that connection, and finish the write when
// epoll says it is writable. No weft code: it depends on libc only (and
// abseil flags for its command line, as the examples do).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "IPv4 address to listen on");

namespace {

constexpr size_t kBufferSize = 16 * 1024;

struct Connection {
  int fd;
  std::unique_ptr<char[]> pending;  // unsent bytes, only while there are any
  size_t pending_at = 0;
  size_t pending_len = 0;
};

bool ParseAddr(const std::string& text, sockaddr_in* out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  *out = {};
  out->sin_family = AF_INET;
  out->sin_port =
      htons(static_cast<uint16_t>(std::stoi(text.substr(colon + 1))));
  return inet_pton(AF_INET, text.substr(0, colon).c_str(), &out->sin_addr) == 1;
}

void Close(int epfd, Connection* c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  delete c;
}

// Writes out pending bytes. Returns false on error.
bool Flush(Connection* c) {
  while (c->pending_len > 0) {
    const ssize_t n = send(c->fd, c->pending.get() + c->pending_at,
                           c->pending_len, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN;
    c->pending_at += n;
    c->pending_len -= n;
  }
  c->pending.reset();
  return true;
}

// Reads until EAGAIN, echoing as it goes. Returns false when the
// connection is finished (EOF or error).
bool Serve(Connection* c, char* scratch) {
  if (!Flush(c)) return false;
  if (c->pending_len > 0) return true;  // still blocked on the peer
  for (;;) {
    const ssize_t n = recv(c->fd, scratch, kBufferSize, 0);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    ssize_t sent = send(c->fd, scratch, n, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno != EAGAIN) return false;
      sent = 0;
    }
    if (sent < n) {  // the peer is slow: keep the rest, stop reading
      c->pending.reset(new char[n - sent]);
      std::memcpy(c->pending.get(), scratch + sent, n - sent);
      c->pending_at = 0;
      c->pending_len = n - sent;
      return true;
    }
    if (n < static_cast<ssize_t>(kBufferSize)) return true;  // drained
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  sockaddr_in addr;
  if (!ParseAddr(absl::GetFlag(FLAGS_addr), &addr)) {
    std::fprintf(stderr, "echo_baseline: bad --addr\n");
    return 1;
  }
  const int lfd =
      socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(lfd, 1024) != 0) {
    std::perror("echo_baseline: bind");
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  char host[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
  std::printf("echo_baseline: listening on %s:%d\n", host,
              ntohs(addr.sin_port));
  std::fflush(stdout);

  const int epfd = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.ptr = nullptr;  // the listener
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
  std::vector<epoll_event> events(1024);
  auto scratch = std::make_unique<char[]>(kBufferSize);
  for (;;) {
    const int n = epoll_wait(epfd, events.data(), events.size(), -1);
    for (int i = 0; i < n; ++i) {
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (c == nullptr) {
        for (;;) {
          const int fd =
              accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (fd < 0) break;  // EAGAIN, or out of fds: retried on next event
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto* conn = new Connection{fd, nullptr, 0, 0};
          epoll_event cev{};
          cev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
          cev.data.ptr = conn;
          epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
        }
        continue;
      }
      if (!Serve(c, scratch.get())) Close(epfd, c);
    }
  }
}
