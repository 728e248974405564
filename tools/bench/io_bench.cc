// io_bench: weft's framing and UDP against hand-written baselines, in one
// run, as the CPU time of the thread doing the work.
//
//   tools/bazel run -c opt //tools/bench:io_bench [-- --reps=5]
//
// lines: a writer thread sends kLines 40-byte lines over loopback TCP as
//   fast as it can; the reader is (a) weft: FramedRead<TcpStream,
//   LinesCodec>::Next(line), each line into one reused std::string, or
//   (b) the baseline: blocking read() of 64 KiB and a memchr loop, each
//   line copied into one reused std::string. Reader CPU ns per line.
// udp: a client thread keeps kWindow datagrams of 64 bytes in flight to an
//   echo server, kDatagrams in all; the server is (a) weft: RecvFrom and
//   SendTo on a UdpSocket, the udp_echo example's loop, or (b) the
//   baseline: edge-triggered epoll, recvfrom until EAGAIN, sendto each.
//   Server CPU ns per datagram.
// Each row: the median of --reps runs each, interleaved (baseline, weft,
// baseline, ...), and weft/baseline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "net/framed.h"
#include "net/lines_codec.h"
#include "net/tcp_listener.h"
#include "net/udp_socket.h"
#include "runtime/weft.h"

ABSL_FLAG(int, reps, 5, "runs of each side per row");
ABSL_FLAG(std::string, only, "", "one row: lines or udp");

namespace {

using weft::Task;

constexpr size_t kLines = 2000 * 1024;  // whole chunks of 1,024
constexpr size_t kLineBytes = 40;       // with its "\n"
constexpr size_t kDatagrams = 200'000;
constexpr size_t kWindow = 16;

void Die(const char* what) {
  std::perror(what);
  std::exit(1);
}

// CPU time the thread has used, in ns.
double ThreadCpuNs(pthread_t thread) {
  clockid_t clock;
  if (pthread_getcpuclockid(thread, &clock) != 0) Die("pthread_getcpuclockid");
  timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}
double SelfCpuNs() { return ThreadCpuNs(pthread_self()); }

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

uint16_t PortOf(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// ---------------------------------------------------------------- lines

// Connects to `port` and writes kLines lines, then closes.
void WriteLines(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = Loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    Die("connect");
  }
  std::string chunk;
  for (size_t i = 0; i < 1024; ++i) {
    std::string line(kLineBytes - 1, static_cast<char>('a' + i % 26));
    chunk += line + "\n";
  }
  for (size_t sent = 0; sent < kLines; sent += 1024) {
    for (size_t off = 0; off < chunk.size();) {
      const ssize_t n = write(fd, chunk.data() + off, chunk.size() - off);
      if (n <= 0) Die("write");
      off += static_cast<size_t>(n);
    }
  }
  close(fd);
}

// The baseline reader: CPU ns per line on this thread.
double BaselineLines() {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in any = Loopback(0);
  bind(listener, reinterpret_cast<const sockaddr*>(&any), sizeof any);
  listen(listener, 1);
  std::thread writer(WriteLines, PortOf(listener));
  const int fd = accept(listener, nullptr, nullptr);
  const double start = SelfCpuNs();
  std::vector<char> buf(64 * 1024);
  std::string line, partial;
  size_t lines = 0, held = 0;
  for (;;) {
    const ssize_t n = read(fd, buf.data() + held, buf.size() - held);
    if (n <= 0) break;
    const size_t end = held + static_cast<size_t>(n);
    size_t at = 0;
    while (const void* nl = std::memchr(buf.data() + at, '\n', end - at)) {
      const size_t stop = static_cast<const char*>(nl) - buf.data();
      line.assign(buf.data() + at, stop - at);
      ++lines;
      at = stop + 1;
    }
    held = end - at;
    std::memmove(buf.data(), buf.data() + at, held);
  }
  const double ns = SelfCpuNs() - start;
  writer.join();
  close(fd);
  close(listener);
  if (lines != kLines) {
    std::fprintf(stderr, "baseline: %zu lines, not %zu\n", lines, kLines);
    std::exit(1);
  }
  return ns / lines;
}

double WeftLines() {
  weft::Runtime runtime;
  return runtime.BlockOn([]() -> Task<double> {
    absl::StatusOr<weft::net::TcpListener> listener =
        co_await weft::net::TcpListener::Bind("127.0.0.1:0");
    if (!listener.ok()) Die("bind");
    std::thread writer(WriteLines, listener->LocalAddr().port());
    auto accepted = co_await listener->Accept();
    if (!accepted.ok()) Die("accept");
    const double start = SelfCpuNs();
    weft::io::FramedRead lines(std::move(accepted->first),
                               weft::io::LinesCodec());
    std::string line;
    size_t count = 0;
    while (*co_await lines.Next(line)) ++count;
    const double ns = SelfCpuNs() - start;
    writer.join();
    if (count != kLines) Die("weft: wrong line count");
    co_return ns / count;
  });
}

// ---------------------------------------------------------------- udp

// Keeps kWindow datagrams in flight to `port` until kDatagrams came back,
// then sends an empty one: the server's signal to stop.
void UdpClient(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = Loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    Die("udp connect");
  }
  timeval timeout{1, 0};  // a lost datagram: send another after a second
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  char out[64] = "ping", in[64];
  size_t sent = 0, received = 0;
  for (; sent < kWindow; ++sent) send(fd, out, sizeof out, 0);
  while (received < kDatagrams) {
    if (recv(fd, in, sizeof in, 0) <= 0) {
      send(fd, out, sizeof out, 0);  // lost: keep the window full
      continue;
    }
    ++received;
    if (sent < kDatagrams) {
      send(fd, out, sizeof out, 0);
      ++sent;
    }
  }
  send(fd, out, 0, 0);  // empty: done
  close(fd);
}

double BaselineUdp() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const sockaddr_in any = Loopback(0);
  bind(fd, reinterpret_cast<const sockaddr*>(&any), sizeof any);
  double ns = 0;
  std::thread server([&] {
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    const double start = SelfCpuNs();
    char buf[65536];
    for (bool stop = false; !stop;) {
      epoll_event got;
      if (epoll_wait(ep, &got, 1, -1) <= 0) continue;
      for (;;) {
        sockaddr_storage from;
        socklen_t len = sizeof from;
        const ssize_t n = recvfrom(fd, buf, sizeof buf, 0,
                                   reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) break;  // EAGAIN: drained
        if (n == 0) {      // the client is done
          stop = true;
          break;
        }
        sendto(fd, buf, static_cast<size_t>(n), 0,
               reinterpret_cast<sockaddr*>(&from), len);
      }
    }
    ns = SelfCpuNs() - start;
    close(ep);
  });
  UdpClient(PortOf(fd));
  server.join();
  close(fd);
  return ns / kDatagrams;
}

double WeftUdp() {
  std::atomic<uint16_t> port{0};
  double ns = 0;
  std::thread server([&] {
    weft::Runtime runtime;
    runtime.BlockOn([&]() -> Task<> {
      absl::StatusOr<weft::net::UdpSocket> socket =
          co_await weft::net::UdpSocket::Bind("127.0.0.1:0");
      if (!socket.ok()) Die("udp bind");
      const double start = SelfCpuNs();
      port = socket->LocalAddr().port();
      std::vector<char> buf(64 * 1024);
      // The udp_echo example's loop, until the empty datagram that says
      // the client is done.
      for (;;) {
        auto got = co_await socket->RecvFrom(buf);
        if (!got.ok()) continue;
        auto [n, from] = *got;
        if (n == 0) break;
        (void)co_await socket->SendTo(std::span(buf.data(), n), from);
      }
      ns = SelfCpuNs() - start;
    });
  });
  while (port.load() == 0) std::this_thread::yield();
  UdpClient(port.load());
  server.join();
  return ns / kDatagrams;
}

// ---------------------------------------------------------------- main

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Row(const char* name, double (*baseline)(), double (*weft)(), int reps) {
  std::vector<double> b, w;
  for (int i = 0; i < reps; ++i) {
    b.push_back(baseline());
    w.push_back(weft());
  }
  const double mb = Median(b), mw = Median(w);
  std::printf("| %s | %.1f | %.1f | %.2fx |\n", name, mb, mw, mw / mb);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int reps = absl::GetFlag(FLAGS_reps);
  std::printf("| row | baseline ns | weft ns | weft/baseline |\n");
  std::printf("|---|---:|---:|---:|\n");
  const std::string only = absl::GetFlag(FLAGS_only);
  if (only.empty() || only == "lines") {
    Row("lines: reader CPU per 40-byte line", BaselineLines, WeftLines, reps);
  }
  if (only.empty() || only == "udp") {
    Row("udp echo: server CPU per 64-byte datagram", BaselineUdp, WeftUdp,
        reps);
  }
  std::printf(
      "\nmedians of %d interleaved runs each; CPU time of the thread "
      "doing the work (CLOCK_THREAD_CPUTIME_ID)\n",
      reps);
  return 0;
}
