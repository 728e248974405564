// The mini-redis server: the accept loop, and the loop each connection's
// task runs (tokio's mini-redis server.rs). //examples/mini_redis:server is
// its binary (main.cc); tests drive it in-process.
#ifndef WEFT_EXAMPLES_MINI_REDIS_SERVER_H_
#define WEFT_EXAMPLES_MINI_REDIS_SERVER_H_

#include <cstddef>
#include <memory>

#include "absl/status/status.h"
#include "examples/mini_redis/db.h"
#include "examples/mini_redis/resp_codec.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::mini_redis {

struct ServerOptions {
  // What one request may hold (redis' proto-max-bulk-len and its
  // multibulk and inline limits).
  RespCodec::Limits limits;
  // A subscriber with more than this many bytes of messages unwritten is
  // cut off: redis' client-output-buffer-limit pubsub (its hard limit).
  size_t pubsub_output_limit = 32 * 1024 * 1024;
};

// Accepts clients on `listener` and serves each in its own task, until
// accepting fails (the error) or the task is cancelled. Each connection's
// task is spawned through `connections`, which counts it while it runs.
Task<absl::Status> Serve(net::TcpListener& listener, std::shared_ptr<Db> db,
                         ServerOptions options, TaskTracker connections);

// One client, until it leaves, sends QUIT, sends a malformed request (it
// gets the protocol error first), or is cut off as a subscriber.
Task<> ServeConnection(net::TcpStream stream, std::shared_ptr<Db> db,
                       ServerOptions options);

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_SERVER_H_
