// Subscriptions: a connection's pub/sub side (tokio's mini-redis
// cmd/subscribe.rs): the channels and patterns it subscribed to, and the
// replies for (P)SUBSCRIBE, (P)UNSUBSCRIBE and PING while subscribed.
//
// Each subscription is a small task, its forwarder, that receives from the
// channel's broadcast receiver (db.h) and appends each message to the
// connection's replies, then wakes the connection's task (Wake()), which
// writes them out. A task per subscription is how one connection waits on
// any number of channels at once: its own task waits only for its socket
// and for Wake() (server.cc).
//
// A subscriber that does not keep up is cut off, as redis' "client-output-
// buffer-limit pubsub" does: once its unwritten replies pass the limit, or
// it falls more than Db::kChannelBacklog messages behind on a channel,
// cut_off() is set and the connection closes. Memory per subscriber stays
// bounded by the limit however fast others publish.
//
// Lifetime: forwarders point at the connection. That is safe because this
// object aborts them in its destructor, and an aborted task is never
// resumed again (join_handle.h); the destructors in its frame touch only
// the Db, which they share.
#ifndef WEFT_EXAMPLES_MINI_REDIS_SUBSCRIPTIONS_H_
#define WEFT_EXAMPLES_MINI_REDIS_SUBSCRIPTIONS_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "examples/mini_redis/connection.h"
#include "examples/mini_redis/db.h"
#include "examples/mini_redis/text.h"
#include "runtime/weft.h"

namespace weft::mini_redis {

class Subscriptions {
 public:
  Subscriptions(std::shared_ptr<Db> db, Connection& connection,
                size_t output_limit)
      : db_(std::move(db)),
        connection_(connection),
        output_limit_(output_limit) {}
  Subscriptions(const Subscriptions&) = delete;
  Subscriptions& operator=(const Subscriptions&) = delete;
  ~Subscriptions();

  // Runs SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE or PUNSUBSCRIBE (args[0]) and
  // appends a confirmation per channel or pattern. An unsubscribe waits
  // for the forwarder to end, so that PUBLISH no longer counts it.
  Task<> Run(std::span<const std::string_view> args);
  // PING while subscribed: ["pong", message or ""].
  void Ping(std::span<const std::string_view> args);

  // Channels plus patterns: while it is above 0, the connection is in
  // subscribed mode.
  size_t count() const { return channels_.size() + patterns_.size(); }
  bool cut_off() const { return cut_off_; }
  // Completes when a forwarder added replies or cut the subscriber off.
  auto Wake() { return wake_.Notified(); }

 private:
  Task<> Forward(std::string name, bool pattern,
                 broadcast::Receiver<MessagePtr> receiver);
  void Deliver(const Message& message, std::string_view pattern);
  Task<> Leave(StringMap<JoinHandle<void>>& from, std::string_view name,
               std::string_view kind);

  std::shared_ptr<Db> db_;
  Connection& connection_;
  size_t output_limit_;
  StringMap<JoinHandle<void>> channels_;
  StringMap<JoinHandle<void>> patterns_;
  Notify wake_;
  bool cut_off_ = false;
};

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_SUBSCRIPTIONS_H_
