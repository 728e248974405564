// mini-redis: a redis server on weft, for the real redis-cli and
// redis-benchmark (tokio's mini-redis, bin/server.rs).
//
// Run it:  tools/bazel run -c opt //examples/mini_redis:server
// Try it:  redis-cli -p 6379 set hello world   then   redis-cli get hello
//          redis-benchmark -t set,get -n 100000 -q
//
// SIGINT (Ctrl-C) or SIGTERM stops it gracefully: it stops accepting,
// gives open connections --grace to finish, then cuts off the rest.
// README.md maps tokio's tutorial chapters onto these files.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "examples/mini_redis/db.h"
#include "examples/mini_redis/server.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:6379", "address to listen on");
ABSL_FLAG(absl::Duration, grace, absl::Seconds(5),
          "on SIGINT/SIGTERM, how long open connections get to finish");
ABSL_FLAG(size_t, proto_max_bulk_len, 512 * 1024 * 1024,
          "the longest bulk string a request may hold (redis' "
          "proto-max-bulk-len)");
ABSL_FLAG(size_t, max_multibulk_len, 1024 * 1024,
          "the most arguments a request may hold");
ABSL_FLAG(size_t, pubsub_output_limit, 32 * 1024 * 1024,
          "a subscriber with more unwritten bytes than this is cut off "
          "(redis' client-output-buffer-limit pubsub)");

namespace {

using weft::StopSignal;
using weft::Task;
using weft::TaskTracker;
using weft::mini_redis::Db;

Task<int> Main(std::string addr, weft::mini_redis::ServerOptions options,
               std::chrono::milliseconds grace) {
  absl::StatusOr<StopSignal> stop = StopSignal::Listen();  // before all else
  if (!stop.ok()) {
    std::fprintf(stderr, "mini-redis: %s\n", stop.status().ToString().c_str());
    co_return 1;
  }
  absl::StatusOr<weft::net::TcpListener> bound =
      co_await weft::net::TcpListener::Bind(addr);
  if (!bound.ok()) {
    std::fprintf(stderr, "mini-redis: %s\n", bound.status().ToString().c_str());
    co_return 1;
  }
  std::optional<weft::net::TcpListener> listener = *std::move(bound);
  std::printf("mini-redis listening on %s\n",
              listener->LocalAddr().ToString().c_str());
  std::fflush(stdout);

  auto db = std::make_shared<Db>();
  TaskTracker connections;
  auto purge = weft::Spawn(Db::PurgeExpired(db));
  auto server =
      weft::Spawn(weft::mini_redis::Serve(*listener, db, options, connections));

  // Until a signal, or until accepting fails.
  auto first = co_await weft::Select(stop->Wait(), server);
  if (first.index() == 1) {
    weft::JoinResult<absl::Status> failed = std::get<1>(std::move(first));
    std::fprintf(stderr, "mini-redis: %s\n",
                 failed.ok() ? failed.value().ToString().c_str()
                             : "the accept loop ended");
    co_return 1;
  }
  server.Abort();
  co_await server;
  listener.reset();     // closes the port
  connections.Close();  // no more will come: Wait() may complete
  const size_t open = connections.Len();
  std::printf("mini-redis: SIG%s: stopped accepting; %zu connection%s open\n",
              sigabbrev_np(std::get<0>(first)), open, open == 1 ? "" : "s");
  std::fflush(stdout);

  // The grace period, cut short by a second signal.
  (void)co_await weft::Select(connections.Wait(), weft::Sleep(grace),
                              stop->Wait());
  const size_t cut_off = connections.Len();
  purge.Abort();
  std::printf(
      "mini-redis: shut down: %zu connection%s finished, %zu cut off after "
      "the grace period\n",
      open - cut_off, open - cut_off == 1 ? "" : "s", cut_off);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::mini_redis::ServerOptions options;
  options.limits.max_bulk = absl::GetFlag(FLAGS_proto_max_bulk_len);
  options.limits.max_multibulk = absl::GetFlag(FLAGS_max_multibulk_len);
  options.pubsub_output_limit = absl::GetFlag(FLAGS_pubsub_output_limit);
  weft::Runtime runtime;
  return runtime.BlockOn(
      Main(absl::GetFlag(FLAGS_addr), options,
           absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_grace))));
}
