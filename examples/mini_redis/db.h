// Db: mini-redis' shared state (tokio's mini-redis db.rs), one per server:
// the keyspace, the keys' expiry times, and the pub/sub channels.
//
// No lock: a weft Runtime runs every task on its one thread, and a command
// runs from its start to its reply without a co_await, so no other
// connection ever sees a command half done. (tokio's Db needs a Mutex
// because its runtime moves tasks between threads.) Db is shared by
// std::shared_ptr, like tokio's Arc<Shared>: a connection that is cancelled
// when the runtime shuts down still finds it while its frame is destroyed.
//
// Expiry, both ways redis does it: a key read after its time is gone at
// once (Find), and a background task, PurgeExpired, wakes at the earliest
// expiry time and removes what is due, so keys nobody reads do not stay.
//
// Pub/sub: one broadcast channel per channel name with subscribers, and one
// more carrying every message to the pattern subscribers, who each match it
// against their pattern. A channel is removed when its last subscriber goes.
#ifndef WEFT_EXAMPLES_MINI_REDIS_DB_H_
#define WEFT_EXAMPLES_MINI_REDIS_DB_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/btree_set.h"
#include "examples/mini_redis/message.h"
#include "examples/mini_redis/text.h"
#include "runtime/weft.h"

namespace weft::mini_redis {

// One PUBLISH, as every subscriber's forwarder receives it: shared, not
// copied per subscriber.
using MessagePtr = std::shared_ptr<const Message>;

class Db {
 public:
  // How many messages a channel keeps for a subscriber that is slow to take
  // them; one further behind is cut off (subscriptions.h).
  static constexpr size_t kChannelBacklog = 1024;

  struct Entry {
    std::string value;
    std::optional<Instant> expires_at;  // none: the key never expires
  };

  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // ---- Keys

  // The live entry for `key`, or null; an expired one is removed here.
  // The pointer is valid until the keyspace next changes.
  Entry* Find(std::string_view key);
  // The entry for `key`, made empty (no expiry) if it was not there.
  Entry& FindOrInsert(std::string_view key);
  // Sets the value and the expiry (nullopt: none) in one step: SET.
  void Set(std::string_view key, std::string_view value,
           std::optional<Instant> expires_at);
  // Gives `key`'s entry (`entry`, from Find) a new expiry, or none.
  void SetExpiry(std::string_view key, Entry& entry,
                 std::optional<Instant> expires_at);
  // Whether there was a live `key` to remove.
  bool Erase(std::string_view key);
  size_t size() const { return entries_.size(); }

  // Removes the keys whose time has come, then sleeps until the next one's
  // (or until a key gets an earlier time); runs until cancelled. The server
  // spawns it once. Its frame shares the Db, so it may be destroyed after
  // the server let go of it.
  static Task<> PurgeExpired(std::shared_ptr<Db> db);

  // ---- Pub/sub

  // How many subscribers got it: those of `channel`, and one per pattern
  // subscription matching it (redis' PUBLISH reply).
  size_t Publish(std::string_view channel, std::string_view payload);
  broadcast::Receiver<MessagePtr> Subscribe(std::string_view channel);
  // After a receiver of `channel` is destroyed: forgets the channel if that
  // was its last subscriber.
  void Unsubscribed(std::string_view channel);
  // Every message published from now on; the caller matches `pattern`.
  broadcast::Receiver<MessagePtr> PatternSubscribe(std::string_view pattern);
  void PatternUnsubscribed(std::string_view pattern);
  // How many subscribers `channel` has (PUBSUB NUMSUB).
  size_t Subscribers(std::string_view channel) const;

 private:
  void ForgetExpiry(std::string_view key, const Entry& entry);
  void EraseEntry(StringMap<Entry>::iterator it);

  // Invariant: (t, key) is in expirations_ exactly when entries_[key] has
  // expires_at == t.
  StringMap<Entry> entries_;
  absl::btree_set<std::pair<Instant, std::string>> expirations_;
  Notify earlier_expiry_;  // PurgeExpired's next wake-up moved closer

  StringMap<broadcast::Sender<MessagePtr>> channels_;
  // Pattern -> how many subscriptions to it (each counts in PUBLISH).
  StringMap<size_t> patterns_;
  std::optional<broadcast::Sender<MessagePtr>> pattern_feed_;
};

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_DB_H_
