#include "examples/mini_redis/subscriptions.h"

#include <optional>
#include <utility>
#include <vector>

#include "examples/mini_redis/glob.h"
#include "examples/mini_redis/resp_writer.h"
#include "examples/mini_redis/text.h"

namespace weft::mini_redis {
namespace {

// ["subscribe", name, count], and the same for the other three.
void AppendConfirmation(io::ByteBuffer& out, std::string_view kind,
                        std::string_view name, size_t count) {
  AppendArrayHeader(out, 3);
  AppendBulk(out, kind);
  AppendBulk(out, name);
  AppendInteger(out, static_cast<int64_t>(count));
}

// What a forwarder holds while it runs: its receiver, and the duty to tell
// the Db when the receiver is gone (so the Db forgets a channel nobody
// listens to), whether the forwarder ended or was aborted.
class Membership {
 public:
  Membership(std::shared_ptr<Db> db, std::string_view name, bool pattern,
             broadcast::Receiver<MessagePtr> receiver)
      : db_(std::move(db)),
        name_(name),
        pattern_(pattern),
        receiver_(std::move(receiver)) {}
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;
  ~Membership() {
    receiver_.reset();  // first: the Db counts receivers
    if (pattern_) {
      db_->PatternUnsubscribed(name_);
    } else {
      db_->Unsubscribed(name_);
    }
  }
  broadcast::Receiver<MessagePtr>& receiver() { return *receiver_; }

 private:
  std::shared_ptr<Db> db_;
  std::string_view name_;  // the forwarder's own copy, in its frame
  bool pattern_;
  std::optional<broadcast::Receiver<MessagePtr>> receiver_;
};

}  // namespace

Subscriptions::~Subscriptions() {
  for (auto& [name, forwarder] : channels_) forwarder.Abort();
  for (auto& [name, forwarder] : patterns_) forwarder.Abort();
}

Task<> Subscriptions::Forward(std::string name, bool pattern,
                              broadcast::Receiver<MessagePtr> receiver) {
  Membership membership(db_, name, pattern, std::move(receiver));
  for (;;) {
    broadcast::RecvResult<MessagePtr> got =
        co_await membership.receiver().Recv();
    if (got.closed()) co_return;  // the Db is gone: the server is stopping
    if (got.lagged()) {
      cut_off_ = true;  // it missed messages: never deliver a gap
    } else if (!pattern || GlobMatch(name, got.value()->channel)) {
      Deliver(*got.value(), pattern ? std::string_view(name) : "");
      if (connection_.Unwritten() > output_limit_) cut_off_ = true;
    }
    wake_.NotifyOne();
    if (cut_off_) co_return;
  }
}

void Subscriptions::Deliver(const Message& message, std::string_view pattern) {
  io::ByteBuffer& out = connection_.out();
  if (pattern.empty()) {
    AppendArrayHeader(out, 3);
    AppendBulk(out, "message");
  } else {
    AppendArrayHeader(out, 4);
    AppendBulk(out, "pmessage");
    AppendBulk(out, pattern);
  }
  AppendBulk(out, message.channel);
  AppendBulk(out, message.payload);
}

Task<> Subscriptions::Run(std::span<const std::string_view> args) {
  io::ByteBuffer& out = connection_.out();
  const std::string kind = ToLower(args[0]);  // "subscribe", "punsubscribe"...
  const bool pattern = kind.starts_with('p');
  auto& subscriptions = pattern ? patterns_ : channels_;
  if (kind.ends_with("unsubscribe")) {
    // Copies: `args` point into the read buffer, and this awaits.
    std::vector<std::string> names(args.begin() + 1, args.end());
    if (names.empty()) {  // all of them
      for (const auto& [name, forwarder] : subscriptions) {
        names.push_back(name);
      }
      if (names.empty()) {  // none to leave: [kind, nil, 0], as redis says
        AppendArrayHeader(out, 3);
        AppendBulk(out, kind);
        AppendNull(out);
        AppendInteger(out, 0);
      }
    }
    for (const std::string& name : names) {
      co_await Leave(subscriptions, name, kind);
    }
    co_return;
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view name = args[i];
    if (!subscriptions.contains(name)) {
      // Subscribed here, before the confirmation is even written, so that
      // every message published after it reaches this client.
      broadcast::Receiver<MessagePtr> receiver =
          pattern ? db_->PatternSubscribe(name) : db_->Subscribe(name);
      subscriptions.emplace(name, Spawn(Forward(std::string(name), pattern,
                                                std::move(receiver))));
    }
    AppendConfirmation(out, kind, name, count());
  }
}

Task<> Subscriptions::Leave(StringMap<JoinHandle<void>>& from,
                            std::string_view name, std::string_view kind) {
  auto it = from.find(name);
  if (it != from.end()) {
    JoinHandle<void> forwarder = std::move(it->second);
    from.erase(it);
    forwarder.Abort();
    co_await forwarder;  // its Membership has told the Db
  }
  AppendConfirmation(connection_.out(), kind, name, count());
}

void Subscriptions::Ping(std::span<const std::string_view> args) {
  io::ByteBuffer& out = connection_.out();
  AppendArrayHeader(out, 2);
  AppendBulk(out, "pong");
  AppendBulk(out, args.size() > 1 ? args[1] : "");
}

}  // namespace weft::mini_redis
