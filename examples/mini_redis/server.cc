// How a connection runs: read what has come, run every whole command in
// it, write all their replies at once, read again. In subscribed mode the
// connection also waits for its forwarders' messages (subscriptions.h).
#include "examples/mini_redis/server.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "examples/mini_redis/commands.h"
#include "examples/mini_redis/connection.h"
#include "examples/mini_redis/resp_writer.h"
#include "examples/mini_redis/subscriptions.h"
#include "examples/mini_redis/text.h"
#include "net/accept_with_backoff.h"

namespace weft::mini_redis {
namespace {

// Subscribed: messages may come at any time. Writes what is queued and
// reads, whichever can go on, until commands have come (true) or the
// connection is done (false: EOF, an error, or cut off).
Task<bool> WaitSubscribed(Connection& connection,
                          Subscriptions& subscriptions) {
  for (;;) {
    if (subscriptions.cut_off()) co_return false;
    if (connection.Unwritten() > 0) {
      auto flushed = co_await Select(connection.Flush(), subscriptions.Wake());
      if (flushed.index() == 0 && !std::get<0>(flushed).ok()) {
        co_return false;
      }
      continue;  // written, or more to write: look again
    }
    auto event = co_await Select(connection.Fill(), subscriptions.Wake());
    if (event.index() == 0) {
      const absl::StatusOr<bool>& filled = std::get<0>(event);
      co_return filled.ok() && *filled;
    }
  }
}

}  // namespace

Task<> ServeConnection(net::TcpStream stream, std::shared_ptr<Db> db,
                       ServerOptions options) {
  (void)stream.SetNoDelay(true);  // each reply now, not after a delayed ACK
  Connection connection(std::move(stream), options.limits);
  std::optional<Subscriptions> subscriptions;  // made at the first (P)SUBSCRIBE
  std::vector<std::string_view> args;  // reused: no allocation per command
  for (;;) {
    // 1. Every whole command read so far, in order; replies queue in out().
    for (;;) {
      absl::StatusOr<bool> got = connection.NextCommand(args);
      if (!got.ok()) {  // malformed: say why, then close, as redis does
        AppendError(connection.out(),
                    OneLine(absl::StrCat("ERR ", got.status().message())));
        (void)co_await connection.Flush();
        co_return;
      }
      if (!*got) break;
      if (subscriptions && subscriptions->count() > 0) {
        if (!AllowedWhileSubscribed(args[0])) {
          AppendError(connection.out(),
                      OneLine(absl::StrCat(
                          "ERR Can't execute '", ToLower(args[0]),
                          "': only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / "
                          "QUIT are allowed in this context")));
          continue;
        }
        if (EqualsIgnoreCase(args[0], "ping") && args.size() <= 2) {
          subscriptions->Ping(args);
          continue;
        }
      }
      switch (RunCommand(*db, args, connection.out())) {
        case CommandOutcome::kReplied:
          break;
        case CommandOutcome::kQuit:
          (void)co_await connection.Flush();
          co_return;
        case CommandOutcome::kPubSub:
          if (!subscriptions) {
            subscriptions.emplace(db, connection, options.pubsub_output_limit);
          }
          co_await subscriptions->Run(args);
          break;
      }
    }
    // 2. Their replies, in one write; then 3. more commands.
    if (subscriptions && subscriptions->count() > 0) {
      if (!co_await WaitSubscribed(connection, *subscriptions)) co_return;
    } else {
      if (!(co_await connection.Flush()).ok()) co_return;
      absl::StatusOr<bool> filled = co_await connection.Fill();
      if (!filled.ok() || !*filled) co_return;
    }
  }
}

Task<absl::Status> Serve(net::TcpListener& listener, std::shared_ptr<Db> db,
                         ServerOptions options, TaskTracker connections) {
  for (;;) {
    auto accepted = co_await net::AcceptWithBackoff(listener);
    if (!accepted.ok()) co_return accepted.status();
    auto [stream, peer] = *std::move(accepted);
    connections.Spawn(ServeConnection(std::move(stream), db, options));
  }
}

}  // namespace weft::mini_redis
