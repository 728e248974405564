// tokio's chat example on weft: a line-based chat room.
//
// Run it:  tools/bazel run //examples:chat [-- --addr=127.0.0.1:6142]
// Try it:  nc 127.0.0.1 6142   (in several terminals at once)
//
// Each client is asked for a name (an empty one uses its address), then
// every line it sends reaches every other client as "name: line"; joins
// and leaves are announced. A line over 1 KiB is refused, and the client
// is told. The server is examples/chat_server.cc: a broadcast channel as
// the room, and a Select in each client's task between its socket and the
// room (docs/io.md walks through it).
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "examples/chat_server.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:6142", "address to listen on");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  absl::Status status = runtime.BlockOn([]() -> weft::Task<absl::Status> {
    const std::string addr = absl::GetFlag(FLAGS_addr);
    absl::StatusOr<weft::net::TcpListener> listener =
        co_await weft::net::TcpListener::Bind(addr);
    if (!listener.ok()) co_return listener.status();
    std::printf("chat listening on %s\n",
                listener->LocalAddr().ToString().c_str());
    std::fflush(stdout);
    absl::Status served = co_await weft::examples::ServeChat(*listener);
    co_return served;
  });
  if (!status.ok()) {
    std::fprintf(stderr, "chat: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
