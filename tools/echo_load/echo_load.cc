// A load generator for echo servers that does not use weft, so it measures
// the server and not itself: raw epoll on one thread.
//
//   tools/bazel run -c opt //tools/echo_load -- --addr=127.0.0.1:8080
//       [--conns=64 --size=64 --duration=5s --warmup=1s]
//
// Closed loop: each connection has one message in flight; when the whole
// echo is back (and matches, byte for byte) the next one goes out. Prints
// one line: requests/s, latency p50/p99/p999, errors. `--idle=N` instead
// opens N connections, sends one message on each, waits for its echo and
// holds them open for --duration (for measuring memory per connection).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "server address (IPv4)");
ABSL_FLAG(int, conns, 64, "concurrent connections");
ABSL_FLAG(int, size, 64, "message size in bytes");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "measured time");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "unmeasured lead-in");
ABSL_FLAG(int, idle, 0, "if > 0: hold this many idle connections instead");

namespace {

using Clock = std::chrono::steady_clock;

struct Conn {
  int fd = -1;
  std::string message;  // what is in flight
  size_t sent = 0;
  size_t received = 0;
  uint64_t round = 0;
  Clock::time_point started;
  bool done = false;  // --idle: echoed once, now just held
};

// Deterministic, distinct per connection and per round.
void Fill(Conn& c, size_t index) {
  uint64_t x =
      (index + 1) * 0x9E3779B97F4A7C15ull + c.round * 0xBF58476D1CE4E5B9ull;
  for (char& ch : c.message) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    ch = static_cast<char>(x);
  }
  c.sent = c.received = 0;
  c.started = Clock::now();
}

int Connect(const sockaddr_in& addr) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string addr_text = absl::GetFlag(FLAGS_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  const size_t colon = addr_text.rfind(':');
  if (colon == std::string::npos ||
      inet_pton(AF_INET, addr_text.substr(0, colon).c_str(), &addr.sin_addr) !=
          1) {
    std::fprintf(stderr, "echo_load: bad --addr %s\n", addr_text.c_str());
    return 2;
  }
  addr.sin_port =
      htons(static_cast<uint16_t>(std::stoi(addr_text.substr(colon + 1))));
  const int idle = absl::GetFlag(FLAGS_idle);
  const int n = idle > 0 ? idle : absl::GetFlag(FLAGS_conns);
  const size_t size = absl::GetFlag(FLAGS_size);
  const auto warmup = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_warmup));
  const auto duration =
      absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_duration));

  rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);

  const int epfd = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(n);
  uint64_t errors = 0;
  for (int i = 0; i < n; ++i) {
    conns[i].fd = Connect(addr);
    if (conns[i].fd < 0) {
      std::fprintf(stderr, "echo_load: connect %s: %s\n", addr_text.c_str(),
                   std::strerror(errno));
      return 1;
    }
    conns[i].message.resize(size);
    Fill(conns[i], i);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
    ev.data.u32 = i;
    epoll_ctl(epfd, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }

  const auto start = Clock::now();
  const auto measure_from =
      start + (idle > 0 ? Clock::duration::zero() : warmup);
  const auto end = measure_from + duration;
  std::vector<uint32_t> latencies_ns;
  latencies_ns.reserve(1 << 20);
  uint64_t measured = 0;
  uint64_t total = 0;  // including the warm-up
  int echoed_idle = 0;
  std::vector<char> buf(std::max<size_t>(size, 65536));
  std::vector<epoll_event> events(1024);
  bool idle_reported = false;
  for (;;) {
    const auto now = Clock::now();
    if (now >= end) break;
    const int timeout_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(end - now)
            .count() +
        1);
    const int ready =
        epoll_wait(epfd, events.data(), events.size(), timeout_ms);
    for (int e = 0; e < ready; ++e) {
      const uint32_t i = events[e].data.u32;
      Conn& c = conns[i];
      if (c.done) continue;
      for (bool progress = true; progress;) {
        progress = false;
        while (c.sent < c.message.size()) {
          const ssize_t w = send(c.fd, c.message.data() + c.sent,
                                 c.message.size() - c.sent, MSG_NOSIGNAL);
          if (w <= 0) {
            if (w < 0 && errno != EAGAIN) ++errors;
            break;
          }
          c.sent += w;
          progress = true;
        }
        while (c.received < c.sent) {
          const ssize_t r = recv(c.fd, buf.data(), c.sent - c.received, 0);
          if (r <= 0) {
            if (r == 0 || errno != EAGAIN) {
              ++errors;
              c.done = true;
            }
            break;
          }
          if (std::memcmp(buf.data(), c.message.data() + c.received, r) != 0) {
            ++errors;  // a wrong byte
          }
          c.received += r;
          progress = true;
        }
        if (c.done) break;
        if (c.received == c.message.size()) {
          const auto t = Clock::now();
          if (idle > 0) {
            c.done = true;
            ++echoed_idle;
            break;
          }
          ++total;
          if (t >= measure_from) {
            ++measured;
            latencies_ns.push_back(static_cast<uint32_t>(
                std::min<int64_t>((t - c.started).count(), UINT32_MAX)));
          }
          ++c.round;
          Fill(c, i);
          progress = true;
        }
      }
    }
    if (idle > 0 && echoed_idle == n && !idle_reported) {
      std::printf("idle: %d connections open, each echoed once; holding\n", n);
      std::fflush(stdout);
      idle_reported = true;
    }
  }
  if (idle > 0) {
    std::printf("idle_conns=%d echoed=%d errors=%llu\n", n, echoed_idle,
                static_cast<unsigned long long>(errors));
    return errors == 0 && echoed_idle == n ? 0 : 1;
  }
  auto pct = [&](double p) -> double {
    if (latencies_ns.empty()) return 0;
    const size_t k = std::min(latencies_ns.size() - 1,
                              static_cast<size_t>(p * latencies_ns.size()));
    std::nth_element(latencies_ns.begin(), latencies_ns.begin() + k,
                     latencies_ns.end());
    return latencies_ns[k] / 1000.0;
  };
  // Every connection must have been echoed at least once: one that never
  // was is a stalled connection, and counts as an error.
  uint64_t stalled = 0;
  for (const Conn& c : conns) stalled += c.round == 0;
  errors += stalled;
  const double seconds = std::chrono::duration<double>(duration).count();
  std::printf(
      "requests/s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f "
      "errors=%llu total=%llu\n",
      measured / seconds, pct(0.50), pct(0.99), pct(0.999),
      static_cast<unsigned long long>(errors),
      static_cast<unsigned long long>(total));
  return errors == 0 ? 0 : 1;
}
