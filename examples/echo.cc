// The lesson's echo server: one task per connection.
//
// Run it:  tools/bazel run //examples:echo [-- --addr=127.0.0.1:8080]
// Try it:  nc 127.0.0.1 8080   (in several terminals at once)
//
// Each accepted connection is handed to Spawn (examples/echo_server.cc), so
// the accept loop goes straight back to Accept() while the connection is
// served: every client is echoed at once, all on one thread. Compare with
// //examples:echo_sequential, which serves one client at a time.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "examples/echo_server.h"
#include "net/tcp_listener.h"
#include "runtime/runtime.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "address to listen on");

namespace {

weft::Task<int> Main(std::string addr) {
  auto listener = co_await weft::net::TcpListener::Bind(addr);
  if (!listener.ok()) {
    std::fprintf(stderr, "echo: %s\n", listener.status().ToString().c_str());
    co_return 1;
  }
  std::printf("echo: listening on %s\n",
              listener->LocalAddr().ToString().c_str());
  std::fflush(stdout);
  weft::examples::EchoStats stats;
  absl::Status status =
      co_await weft::examples::RunEchoServer(*listener, &stats);
  std::fprintf(stderr, "echo: %s\n", status.ToString().c_str());
  co_return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  return runtime.BlockOn(Main(absl::GetFlag(FLAGS_addr)));
}
