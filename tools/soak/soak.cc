// Soak: the echo example under connection churn, then a leak check.
//
//   tools/bazel build -c opt //tools/soak //examples:echo
//   bazel-bin/tools/soak/soak --server=bazel-bin/examples/echo [--minutes=1]
//
// Starts the server, keeps --conns connections busy: each connects, sends a
// random amount of random bytes (1 B .. 16 KiB) while reading the echo,
// checks every byte, then closes cleanly (half of them) or by reset (SO_LINGER
// 0), and a new one takes its place. A warm-up phase of the same churn comes
// first; then the server's open descriptors and resident memory are taken as
// the reference. After --minutes, once every client has gone, they must
// return to that reference (descriptors exactly; memory within 10% + 1 MiB,
// allowing for allocator noise) and no byte may have been lost or changed.
// Exits non-zero if not. No weft inside: raw epoll, one thread.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"

ABSL_FLAG(std::string, server, "", "the echo server binary (//examples:echo)");
ABSL_FLAG(int, conns, 1000, "concurrent connections");
ABSL_FLAG(double, minutes, 1.0, "how long to churn, after warm-up");
ABSL_FLAG(double, warmup_seconds, 5.0, "churn before the reference is taken");

namespace {

using Clock = std::chrono::steady_clock;

struct Conn {
  int fd = -1;
  std::string out;  // what this connection sends
  size_t sent = 0, received = 0;
};

int CountFds(pid_t pid) {
  DIR* d = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (d == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

long RssKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class Churn {
 public:
  Churn(sockaddr_in addr, int conns) : addr_(addr), conns_(conns), rng_(7) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
  }

  // Churns until `until`, then closes everything. Returns false on a lost
  // or changed byte or a connection error.
  bool Run(Clock::time_point until) {
    std::vector<Conn> conns(conns_);
    for (size_t i = 0; i < conns.size(); ++i) Open(conns[i], i);
    std::vector<char> buf(64 * 1024);
    std::vector<epoll_event> events(1024);
    while (Clock::now() < until) {
      const int n = epoll_wait(epfd_, events.data(), events.size(), 100);
      for (int e = 0; e < n; ++e) {
        const uint32_t i = events[e].data.u32;
        Conn& c = conns[i];
        if (!Pump(c, buf)) return false;
        if (c.received == c.out.size()) {
          Close(c);
          ++completed_;
          Open(c, i);
        }
      }
    }
    for (Conn& c : conns) Close(c);
    return true;
  }
  long completed() const { return completed_; }

 private:
  void Open(Conn& c, uint32_t index) {
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_) != 0) {
      std::perror("soak: connect");
      std::exit(1);
    }
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    c.out.resize(1 + rng_() % (16 * 1024));
    for (char& ch : c.out) ch = static_cast<char>(rng_());
    c.sent = c.received = 0;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
    ev.data.u32 = index;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  // Sends and receives what it can; checks the echo.
  bool Pump(Conn& c, std::vector<char>& buf) {
    for (bool progress = true; progress;) {
      progress = false;
      if (c.sent < c.out.size()) {
        const ssize_t w = send(c.fd, c.out.data() + c.sent,
                               c.out.size() - c.sent, MSG_NOSIGNAL);
        if (w > 0) {
          c.sent += w;
          progress = true;
        } else if (w < 0 && errno != EAGAIN) {
          std::perror("soak: send");
          return false;
        }
      }
      const ssize_t r = recv(c.fd, buf.data(), buf.size(), 0);
      if (r > 0) {
        if (c.received + r > c.out.size() ||
            std::memcmp(buf.data(), c.out.data() + c.received, r) != 0) {
          std::fprintf(stderr, "soak: echoed bytes differ from those sent\n");
          return false;
        }
        c.received += r;
        progress = true;
      } else if (r == 0 || errno != EAGAIN) {
        std::fprintf(stderr, "soak: connection ended early (%zu of %zu)\n",
                     c.received, c.out.size());
        return false;
      }
    }
    return true;
  }

  void Close(Conn& c) {
    if (c.fd < 0) return;
    if (rng_() % 2 == 0) {  // by reset
      linger hard{1, 0};
      setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    close(c.fd);  // (closing also removes it from epoll)
    c.fd = -1;
  }

  sockaddr_in addr_;
  int conns_;
  std::mt19937_64 rng_;
  int epfd_;
  long completed_ = 0;
};

// Waits (up to 10 s) for the server's descriptors to drop to `want`.
int SettledFds(pid_t pid, int want) {
  int now = CountFds(pid);
  for (int i = 0; i < 1000 && now > want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    now = CountFds(pid);
  }
  return now;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string server = absl::GetFlag(FLAGS_server);
  if (server.empty()) {
    std::fprintf(stderr, "soak: --server=<path to //examples:echo> needed\n");
    return 2;
  }
  rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  signal(SIGPIPE, SIG_IGN);

  int out_pipe[2];
  if (pipe(out_pipe) != 0) return 1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    // The server logs every reset connection; half of them are, on purpose.
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDERR_FILENO);
    execl(server.c_str(), server.c_str(), "--addr=127.0.0.1:0", "--grace=1s",
          nullptr);
    std::perror("soak: exec");
    _exit(127);
  }
  close(out_pipe[1]);
  char line[256] = {};
  FILE* server_out = fdopen(out_pipe[0], "r");
  if (fgets(line, sizeof line, server_out) == nullptr) {
    std::fprintf(stderr, "soak: the server printed nothing\n");
    return 1;
  }
  const char* colon = std::strrchr(line, ':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(colon + 1)));
  const int initial_fds = CountFds(pid);

  Churn churn(addr, absl::GetFlag(FLAGS_conns));
  bool ok = churn.Run(
      Clock::now() +
      std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(absl::GetFlag(FLAGS_warmup_seconds))));
  const int ref_fds = SettledFds(pid, initial_fds);
  const long ref_rss = RssKiB(pid);
  const long warm = churn.completed();
  ok = ok &&
       churn.Run(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(
                                        absl::GetFlag(FLAGS_minutes) * 60)));
  const int end_fds = SettledFds(pid, ref_fds);
  const long end_rss = RssKiB(pid);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);

  const bool fds_ok = end_fds == ref_fds;
  const bool rss_ok = end_rss <= ref_rss + ref_rss / 10 + 1024;
  const bool exit_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::printf(
      "soak: %ld connections after warm-up (%ld before), every byte "
      "checked: %s\n",
      churn.completed() - warm, warm, ok ? "ok" : "FAILED");
  std::printf("soak: server descriptors %d -> %d (reference %d): %s\n",
              initial_fds, end_fds, ref_fds, fds_ok ? "ok" : "LEAK");
  std::printf("soak: server RSS %ld KiB -> %ld KiB: %s\n", ref_rss, end_rss,
              rss_ok ? "ok" : "GREW");
  std::printf("soak: server exit on SIGTERM: %s\n",
              exit_ok ? "0, ok" : "FAILED");
  return ok && fds_ok && rss_ok && exit_ok ? 0 : 1;
}
