// The chat server of tokio's chat example, on weft: every line a client
// sends reaches every other client, prefixed by its name; joins and leaves
// are announced. //examples:chat runs it; tests/chat_test.cc drives it.
#ifndef WEFT_EXAMPLES_CHAT_SERVER_H_
#define WEFT_EXAMPLES_CHAT_SERVER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "net/tcp_listener.h"
#include "runtime/weft.h"

namespace weft::examples {

// The longest line a client may send, in bytes.
inline constexpr size_t kChatMaxLine = 1024;

// Accepts clients on `listener` and serves each in its own task, until
// accepting fails (the error) or the task is cancelled.
Task<absl::Status> ServeChat(net::TcpListener& listener);

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_CHAT_SERVER_H_
