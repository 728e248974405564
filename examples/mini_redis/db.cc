#include "examples/mini_redis/db.h"

#include "examples/mini_redis/glob.h"

namespace weft::mini_redis {

namespace {

// Whether `entry`'s time has come. Only a key with an expiry pays for
// reading the clock.
bool Expired(const Db::Entry& entry) {
  return entry.expires_at && *entry.expires_at <= time::Now();
}

}  // namespace

Db::Entry* Db::Find(std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (Expired(it->second)) {
    EraseEntry(it);
    return nullptr;
  }
  return &it->second;
}

Db::Entry& Db::FindOrInsert(std::string_view key) {
  if (Entry* entry = Find(key)) return *entry;
  return entries_.try_emplace(key).first->second;
}

void Db::Set(std::string_view key, std::string_view value,
             std::optional<Instant> expires_at) {
  Entry& entry = FindOrInsert(key);
  entry.value.assign(value);  // reuses the old value's storage if it fits
  SetExpiry(key, entry, expires_at);
}

void Db::SetExpiry(std::string_view key, Entry& entry,
                   std::optional<Instant> expires_at) {
  if (entry.expires_at == expires_at) return;
  ForgetExpiry(key, entry);
  entry.expires_at = expires_at;
  if (!expires_at) return;
  const bool earliest =
      expirations_.empty() || *expires_at < expirations_.begin()->first;
  expirations_.emplace(*expires_at, std::string(key));
  if (earliest) earlier_expiry_.NotifyOne();
}

bool Db::Erase(std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  const bool live = !Expired(it->second);
  EraseEntry(it);
  return live;
}

void Db::ForgetExpiry(std::string_view key, const Entry& entry) {
  if (!entry.expires_at) return;
  // btree_set's find takes the pair's own type; the key is copied only for
  // keys that expire.
  expirations_.erase(std::make_pair(*entry.expires_at, std::string(key)));
}

void Db::EraseEntry(StringMap<Entry>::iterator it) {
  ForgetExpiry(it->first, it->second);
  entries_.erase(it);
}

Task<> Db::PurgeExpired(std::shared_ptr<Db> db) {
  auto& expirations = db->expirations_;
  for (;;) {
    const Instant now = time::Now();
    while (!expirations.empty() && expirations.begin()->first <= now) {
      auto first = expirations.begin();
      db->entries_.erase(first->second);
      expirations.erase(first);
    }
    if (expirations.empty()) {
      co_await db->earlier_expiry_.Notified();
    } else {
      // Whichever comes first: the earliest time, or an earlier one set.
      co_await Select(SleepUntil(expirations.begin()->first),
                      db->earlier_expiry_.Notified());
    }
  }
}

size_t Db::Publish(std::string_view channel, std::string_view payload) {
  auto it = channels_.find(channel);
  if (it == channels_.end() && patterns_.empty()) return 0;
  auto message = std::make_shared<const Message>(
      Message{std::string(channel), std::string(payload)});
  size_t receivers = 0;
  if (it != channels_.end()) {
    receivers += it->second.ReceiverCount();
    // Nobody subscribed any more is no error: the count says 0.
    it->second.Send(message).IgnoreError();
  }
  for (const auto& [pattern, subscriptions] : patterns_) {
    if (GlobMatch(pattern, channel)) receivers += subscriptions;
  }
  if (pattern_feed_) pattern_feed_->Send(std::move(message)).IgnoreError();
  return receivers;
}

broadcast::Receiver<MessagePtr> Db::Subscribe(std::string_view channel) {
  auto it = channels_.find(channel);
  if (it != channels_.end()) return it->second.Subscribe();
  auto [sender, receiver] = broadcast::Channel<MessagePtr>(kChannelBacklog);
  channels_.emplace(channel, std::move(sender));
  return std::move(receiver);
}

void Db::Unsubscribed(std::string_view channel) {
  auto it = channels_.find(channel);
  if (it != channels_.end() && it->second.ReceiverCount() == 0) {
    channels_.erase(it);
  }
}

broadcast::Receiver<MessagePtr> Db::PatternSubscribe(std::string_view pattern) {
  ++patterns_[pattern];
  if (!pattern_feed_) {
    auto [sender, receiver] = broadcast::Channel<MessagePtr>(kChannelBacklog);
    pattern_feed_.emplace(std::move(sender));
    return std::move(receiver);
  }
  return pattern_feed_->Subscribe();
}

void Db::PatternUnsubscribed(std::string_view pattern) {
  auto it = patterns_.find(pattern);
  if (it != patterns_.end() && --it->second == 0) patterns_.erase(it);
  if (patterns_.empty()) pattern_feed_.reset();
}

size_t Db::Subscribers(std::string_view channel) const {
  auto it = channels_.find(channel);
  return it == channels_.end() ? 0 : it->second.ReceiverCount();
}

}  // namespace weft::mini_redis
