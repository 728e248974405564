// The commands a connection runs outside pub/sub: each reads its arguments,
// changes or reads the Db, and appends its reply (tokio's mini-redis cmd/).
// A command runs start to end with no co_await: that is what lets the Db go
// without a lock (db.h).
//
// Names are matched without regard to case, and argument counts are checked
// before a command runs, with redis' own error replies:
//   -ERR unknown command 'FOO', with args beginning with: 'a'
//   -ERR wrong number of arguments for 'get' command
// Neither closes the connection.
#ifndef WEFT_EXAMPLES_MINI_REDIS_COMMANDS_H_
#define WEFT_EXAMPLES_MINI_REDIS_COMMANDS_H_

#include <span>
#include <string_view>

#include "examples/mini_redis/db.h"
#include "net/byte_buffer.h"

namespace weft::mini_redis {

// What the connection does after a command.
enum class CommandOutcome {
  kReplied,  // the reply is in `out`
  kPubSub,   // a (P)(UN)SUBSCRIBE: the connection's subscriber runs it
  kQuit,     // QUIT: +OK is in `out`; close after writing it
};

// Runs `args` (args[0] is the name, non-empty list) against `db`.
CommandOutcome RunCommand(Db& db, std::span<const std::string_view> args,
                          io::ByteBuffer& out);

// Whether `name` is one of the commands a subscribed connection may send
// (redis' RESP2 rule): (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT.
bool AllowedWhileSubscribed(std::string_view name);

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_COMMANDS_H_
