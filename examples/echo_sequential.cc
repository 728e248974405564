// The lesson's first echo server: no Spawn, one client at a time.
//
// Run it:  tools/bazel run //examples:echo_sequential
// Try it:  connect with `nc 127.0.0.1 8080` in two terminals. The first is
//          echoed; the second's lines are not, until the first disconnects.
//
// Why: the accept loop awaits Echo() directly, so it does not call Accept()
// again until that client is done. The kernel completes the second
// client's TCP handshake and queues it in the listen backlog, where it
// waits. //examples:echo fixes this with one Spawn.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "net/copy.h"
#include "net/split.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "address to listen on");

namespace {

using weft::Task;
using weft::net::TcpListener;
using weft::net::TcpStream;

// One connection: what the client sends comes back, until it closes.
Task<> Echo(TcpStream stream) {
  auto [reader, writer] = stream.Split();
  absl::StatusOr<uint64_t> copied = co_await weft::io::Copy(reader, writer);
  if (!copied.ok()) {
    std::fprintf(stderr, "echo_sequential: %s\n",
                 copied.status().ToString().c_str());
  }
}

// The accept loop, one client at a time.
Task<absl::Status> Serve(TcpListener& listener) {
  for (;;) {
    auto accepted = co_await listener.Accept();
    if (!accepted.ok()) co_return accepted.status();
    auto [stream, peer] = *std::move(accepted);
    co_await Echo(std::move(stream));  // awaited: the next Accept waits
  }
}

Task<int> Main(std::string addr) {
  auto listener = co_await TcpListener::Bind(addr);
  if (!listener.ok()) {
    std::fprintf(stderr, "echo_sequential: %s\n",
                 listener.status().ToString().c_str());
    co_return 1;
  }
  std::printf("echo_sequential: listening on %s\n",
              listener->LocalAddr().ToString().c_str());
  std::fflush(stdout);
  absl::Status status = co_await Serve(*listener);
  std::fprintf(stderr, "echo_sequential: %s\n", status.ToString().c_str());
  co_return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  return runtime.BlockOn(Main(absl::GetFlag(FLAGS_addr)));
}
