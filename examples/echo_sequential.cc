// The lesson's first echo server: no Spawn, one client at a time.
//
// Run it:  tools/bazel run //examples:echo_sequential
// Try it:  connect with `nc 127.0.0.1 8080` in two terminals. The first is
//          echoed; the second's lines are not, until the first disconnects.
//
// Why: the accept loop awaits ServeEcho() directly (echo_server.cc,
// RunSequentialEchoServer), so it does not call Accept() again until that
// client is done. The kernel completes the second client's TCP handshake
// and queues it in the listen backlog, where it waits. //examples:echo fixes
// this with one Spawn.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "examples/echo_server.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "address to listen on");

namespace {

weft::Task<int> Main(std::string addr) {
  auto listener = co_await weft::net::TcpListener::Bind(addr);
  if (!listener.ok()) {
    std::fprintf(stderr, "echo_sequential: %s\n",
                 listener.status().ToString().c_str());
    co_return 1;
  }
  std::printf("echo_sequential: listening on %s\n",
              listener->LocalAddr().ToString().c_str());
  std::fflush(stdout);
  weft::examples::EchoStats stats;
  absl::Status status =
      co_await weft::examples::RunSequentialEchoServer(*listener, &stats);
  std::fprintf(stderr, "echo_sequential: %s\n", status.ToString().c_str());
  co_return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  return runtime.BlockOn(Main(absl::GetFlag(FLAGS_addr)));
}
