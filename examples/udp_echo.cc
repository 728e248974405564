// A UDP echo server: every datagram goes back to whoever sent it.
//
// Run it:  tools/bazel run //examples:udp_echo [-- --addr=127.0.0.1:8081]
// Try it:  nc -u 127.0.0.1 8081   (each line you type is one datagram)
//
// One task, one socket, no connections: RecvFrom says who sent each
// datagram, SendTo answers that address. The buffer holds 64 KiB, the
// largest UDP datagram, so nothing is ever truncated; the loop allocates
// nothing per datagram (its awaits' frames come from the frame cache).
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "net/udp_socket.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8081", "address to listen on");

namespace {

using weft::Task;
using weft::net::UdpSocket;

Task<absl::Status> Serve(UdpSocket& socket) {
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto got = co_await socket.RecvFrom(buf);
    if (!got.ok()) {  // e.g. an ICMP error from an earlier reply's target
      std::fprintf(stderr, "udp_echo: %s\n", got.status().ToString().c_str());
      continue;
    }
    auto [n, from] = *got;
    auto sent = co_await socket.SendTo(std::span(buf.data(), n), from);
    if (!sent.ok()) {
      std::fprintf(stderr, "udp_echo: %s\n", sent.status().ToString().c_str());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  absl::Status status = runtime.BlockOn([]() -> Task<absl::Status> {
    absl::StatusOr<UdpSocket> socket =
        co_await UdpSocket::Bind(absl::GetFlag(FLAGS_addr));
    if (!socket.ok()) co_return socket.status();
    std::printf("udp echo listening on %s\n",
                socket->LocalAddr().ToString().c_str());
    std::fflush(stdout);
    absl::Status served = co_await Serve(*socket);
    co_return served;
  });
  std::fprintf(stderr, "udp_echo: %s\n", status.ToString().c_str());
  return 1;
}
