// Message: one PUBLISH as a subscriber receives it: its channel and its
// payload. The server shares one per PUBLISH among its subscribers
// (db.h); the client library returns them (client.h).
#ifndef WEFT_EXAMPLES_MINI_REDIS_MESSAGE_H_
#define WEFT_EXAMPLES_MINI_REDIS_MESSAGE_H_

#include <string>

namespace weft::mini_redis {

struct Message {
  std::string channel;
  std::string payload;

  friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_MESSAGE_H_
