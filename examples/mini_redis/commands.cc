#include "examples/mini_redis/commands.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "examples/mini_redis/glob.h"
#include "examples/mini_redis/resp_codec.h"
#include "examples/mini_redis/resp_writer.h"
#include "examples/mini_redis/text.h"

namespace weft::mini_redis {
namespace {

using Args = std::span<const std::string_view>;
using Milliseconds = std::chrono::milliseconds;

constexpr std::string_view kNotInteger =
    "ERR value is not an integer or out of range";
constexpr std::string_view kSyntaxError = "ERR syntax error";

void InvalidExpireTime(std::string_view command, io::ByteBuffer& out) {
  AppendError(out, absl::StrCat("ERR invalid expire time in '", Sv(command),
                                "' command"));
}

// A TTL longer than this is kept as this: steady-clock instants are 64-bit
// nanoseconds, and redis' largest TTL (2^63 ms) does not fit in them.
constexpr Milliseconds kLongestTtl = std::chrono::hours(24 * 365 * 100);

// An expiry time given as `text` units of `unit_ms` milliseconds (EX,
// PX, EXPIRE, PEXPIRE): the amount, or nullopt with the error reply
// appended if it is not an integer or its milliseconds overflow.
std::optional<int64_t> ParseExpiry(std::string_view text, int64_t unit_ms,
                                   std::string_view command,
                                   io::ByteBuffer& out) {
  std::optional<int64_t> amount = ParseInteger(text);
  if (!amount) {
    AppendError(out, kNotInteger);
    return std::nullopt;
  }
  if (*amount > std::numeric_limits<int64_t>::max() / unit_ms ||
      *amount < std::numeric_limits<int64_t>::min() / unit_ms) {
    InvalidExpireTime(command, out);
    return std::nullopt;
  }
  return amount;
}

// When a key given `amount` (> 0) units of `unit_ms` from now expires.
Instant ExpiryAfter(int64_t amount, int64_t unit_ms) {
  return time::Now() + std::min(Milliseconds(amount * unit_ms), kLongestTtl);
}

// ---- Connection and server

void Ping(Db&, Args args, io::ByteBuffer& out) {
  if (args.size() > 2) {
    AppendError(out, "ERR wrong number of arguments for 'ping' command");
  } else if (args.size() == 1) {
    AppendSimple(out, "PONG");
  } else {
    AppendBulk(out, args[1]);
  }
}

void Echo(Db&, Args args, io::ByteBuffer& out) { AppendBulk(out, args[1]); }

// Only what clients probe for: redis-benchmark reads "save" and
// "appendonly" before it starts. Names match as globs, as in redis.
void Config(Db&, Args args, io::ByteBuffer& out) {
  static constexpr std::pair<std::string_view, std::string_view> kConfig[] = {
      {"appendonly", "no"},
      {"save", ""},
  };
  if (!EqualsIgnoreCase(args[1], "GET")) {
    AppendError(out, OneLine(absl::StrCat("ERR unknown subcommand '",
                                          Sv(args[1].substr(0, 128)),
                                          "'. Try CONFIG HELP.")));
    return;
  }
  if (args.size() < 3) {
    AppendError(out, "ERR wrong number of arguments for 'config|get' command");
    return;
  }
  std::vector<std::pair<std::string_view, std::string_view>> found;
  for (const auto& [name, value] : kConfig) {
    for (size_t i = 2; i < args.size(); ++i) {
      if (GlobMatch(ToLower(args[i]), name)) {
        found.emplace_back(name, value);
        break;
      }
    }
  }
  AppendArrayHeader(out, 2 * found.size());
  for (const auto& [name, value] : found) {
    AppendBulk(out, name);
    AppendBulk(out, value);
  }
}

// redis-cli asks COMMAND DOCS for its hints; an empty answer is enough.
void Command(Db&, Args args, io::ByteBuffer& out) {
  if (args.size() > 1 && EqualsIgnoreCase(args[1], "COUNT")) {
    AppendInteger(out, 0);
    return;
  }
  AppendArrayHeader(out, 0);
}

void DbSize(Db& db, Args, io::ByteBuffer& out) {
  AppendInteger(out, static_cast<int64_t>(db.size()));
}

// ---- Strings

// The value of `key` as a bulk string, or null: GET's and MGET's replies.
void AppendValueOf(Db& db, std::string_view key, io::ByteBuffer& out) {
  if (const Db::Entry* entry = db.Find(key)) {
    AppendBulk(out, entry->value);
  } else {
    AppendNull(out);
  }
}

void Get(Db& db, Args args, io::ByteBuffer& out) {
  AppendValueOf(db, args[1], out);
}

// SET key value [EX seconds | PX milliseconds] [NX | XX]
void Set(Db& db, Args args, io::ByteBuffer& out) {
  std::optional<Instant> expires_at;
  bool nx = false, xx = false, has_expiry = false;
  for (size_t i = 3; i < args.size(); ++i) {
    const std::string_view option = args[i];
    if (EqualsIgnoreCase(option, "NX") && !xx) {
      nx = true;
    } else if (EqualsIgnoreCase(option, "XX") && !nx) {
      xx = true;
    } else if ((EqualsIgnoreCase(option, "EX") ||
                EqualsIgnoreCase(option, "PX")) &&
               !has_expiry && i + 1 < args.size()) {
      const int64_t unit_ms = EqualsIgnoreCase(option, "EX") ? 1000 : 1;
      std::optional<int64_t> amount =
          ParseExpiry(args[++i], unit_ms, "set", out);
      if (!amount) return;
      if (*amount <= 0) {  // SET wants a time in the future
        InvalidExpireTime("set", out);
        return;
      }
      expires_at = ExpiryAfter(*amount, unit_ms);
      has_expiry = true;
    } else {
      AppendError(out, kSyntaxError);
      return;
    }
  }
  if (nx || xx) {
    const bool exists = db.Find(args[1]) != nullptr;
    if (exists == nx) {  // NX and it is there, or XX and it is not
      AppendNull(out);
      return;
    }
  }
  db.Set(args[1], args[2], expires_at);
  AppendSimple(out, "OK");
}

void Del(Db& db, Args args, io::ByteBuffer& out) {
  int64_t removed = 0;
  for (size_t i = 1; i < args.size(); ++i) removed += db.Erase(args[i]);
  AppendInteger(out, removed);
}

void Exists(Db& db, Args args, io::ByteBuffer& out) {
  int64_t found = 0;  // a key named twice counts twice, as in redis
  for (size_t i = 1; i < args.size(); ++i) found += db.Find(args[i]) != nullptr;
  AppendInteger(out, found);
}

// INCR, DECR, INCRBY, DECRBY: the value as a 64-bit integer, plus `delta`;
// a missing key counts from 0, and the key keeps its expiry.
void AddTo(Db& db, std::string_view key, int64_t delta, io::ByteBuffer& out) {
  Db::Entry* entry = db.Find(key);
  int64_t value = 0;
  if (entry != nullptr) {
    std::optional<int64_t> parsed = ParseInteger(entry->value);
    if (!parsed) {
      AppendError(out, kNotInteger);
      return;
    }
    value = *parsed;
  }
  if (__builtin_add_overflow(value, delta, &value)) {
    AppendError(out, "ERR increment or decrement would overflow");
    return;
  }
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  Db::Entry& target = entry != nullptr ? *entry : db.FindOrInsert(key);
  target.value.assign(digits, static_cast<size_t>(end - digits));
  AppendInteger(out, value);
}

void Incr(Db& db, Args args, io::ByteBuffer& out) {
  AddTo(db, args[1], 1, out);
}
void Decr(Db& db, Args args, io::ByteBuffer& out) {
  AddTo(db, args[1], -1, out);
}
void IncrBy(Db& db, Args args, io::ByteBuffer& out, bool negate) {
  std::optional<int64_t> delta = ParseInteger(args[2]);
  if (!delta || (negate && *delta == std::numeric_limits<int64_t>::min())) {
    AppendError(out, kNotInteger);
    return;
  }
  AddTo(db, args[1], negate ? -*delta : *delta, out);
}

void MGet(Db& db, Args args, io::ByteBuffer& out) {
  AppendArrayHeader(out, args.size() - 1);
  for (size_t i = 1; i < args.size(); ++i) AppendValueOf(db, args[i], out);
}

void MSet(Db& db, Args args, io::ByteBuffer& out) {
  if (args.size() % 2 == 0) {
    AppendError(out, "ERR wrong number of arguments for 'mset' command");
    return;
  }
  for (size_t i = 1; i < args.size(); i += 2) {
    db.Set(args[i], args[i + 1], std::nullopt);
  }
  AppendSimple(out, "OK");
}

// ---- Expiry

// EXPIRE key seconds, PEXPIRE key milliseconds: 1 if the key is there (a
// time not in the future removes it at once, as in redis), else 0.
void Expire(Db& db, Args args, io::ByteBuffer& out, int64_t unit_ms,
            std::string_view command) {
  std::optional<int64_t> amount = ParseExpiry(args[2], unit_ms, command, out);
  if (!amount) return;
  Db::Entry* entry = db.Find(args[1]);
  if (entry == nullptr) {
    AppendInteger(out, 0);
    return;
  }
  if (*amount <= 0) {
    db.Erase(args[1]);
  } else {
    db.SetExpiry(args[1], *entry, ExpiryAfter(*amount, unit_ms));
  }
  AppendInteger(out, 1);
}

// TTL, PTTL: -2 if there is no key, -1 if it never expires, else what is
// left (TTL rounds to the nearest second, as redis does).
void Ttl(Db& db, Args args, io::ByteBuffer& out, bool millis) {
  const Db::Entry* entry = db.Find(args[1]);
  if (entry == nullptr) {
    AppendInteger(out, -2);
    return;
  }
  if (!entry->expires_at) {
    AppendInteger(out, -1);
    return;
  }
  const int64_t left = std::max<int64_t>(
      0,
      std::chrono::duration_cast<Milliseconds>(*entry->expires_at - time::Now())
          .count());
  AppendInteger(out, millis ? left : (left + 500) / 1000);
}

// ---- Pub/sub outside a subscription

void Publish(Db& db, Args args, io::ByteBuffer& out) {
  AppendInteger(out, static_cast<int64_t>(db.Publish(args[1], args[2])));
}

// PUBSUB NUMSUB [channel ...]: each channel and its subscriber count.
void PubSub(Db& db, Args args, io::ByteBuffer& out) {
  if (!EqualsIgnoreCase(args[1], "NUMSUB")) {
    AppendError(out, OneLine(absl::StrCat("ERR unknown subcommand '",
                                          Sv(args[1].substr(0, 128)),
                                          "'. Try PUBSUB HELP.")));
    return;
  }
  AppendArrayHeader(out, 2 * (args.size() - 2));
  for (size_t i = 2; i < args.size(); ++i) {
    AppendBulk(out, args[i]);
    AppendInteger(out, static_cast<int64_t>(db.Subscribers(args[i])));
  }
}

// ---- The table

struct Spec {
  void (*run)(Db&, Args, io::ByteBuffer&);
  // redis' arity: n > 0 exactly n words (the name included); -n at least n.
  int arity;
  CommandOutcome outcome = CommandOutcome::kReplied;
};

// Case-insensitive hashing and equality, so a command name is looked up as
// the client sent it, with no lower-cased copy.
struct CaseInsensitiveHash {
  size_t operator()(std::string_view s) const {
    uint64_t h = 14695981039346656037u;  // FNV-1a
    for (char c : s) {
      h = (h ^ static_cast<unsigned char>(absl::ascii_tolower(c))) *
          1099511628211u;
    }
    return h;
  }
};
struct CaseInsensitiveEq {
  bool operator()(std::string_view a, std::string_view b) const {
    return EqualsIgnoreCase(a, b);
  }
};

void None(Db&, Args, io::ByteBuffer&) {}

const absl::flat_hash_map<std::string_view, Spec, CaseInsensitiveHash,
                          CaseInsensitiveEq>&
Table() {
  static const auto* table = new absl::flat_hash_map<
      std::string_view, Spec, CaseInsensitiveHash, CaseInsensitiveEq>{
      {"ping", {Ping, -1}},
      {"echo", {Echo, 2}},
      {"quit", {None, -1, CommandOutcome::kQuit}},
      {"config", {Config, -2}},
      {"command", {Command, -1}},
      {"dbsize", {DbSize, 1}},
      {"get", {Get, 2}},
      {"set", {Set, -3}},
      {"del", {Del, -2}},
      {"exists", {Exists, -2}},
      {"incr", {Incr, 2}},
      {"decr", {Decr, 2}},
      {"incrby",
       {[](Db& db, Args a, io::ByteBuffer& o) { IncrBy(db, a, o, false); }, 3}},
      {"decrby",
       {[](Db& db, Args a, io::ByteBuffer& o) { IncrBy(db, a, o, true); }, 3}},
      {"mget", {MGet, -2}},
      {"mset", {MSet, -3}},
      {"expire",
       {[](Db& db, Args a, io::ByteBuffer& o) {
          Expire(db, a, o, 1000, "expire");
        },
        3}},
      {"pexpire",
       {[](Db& db, Args a, io::ByteBuffer& o) {
          Expire(db, a, o, 1, "pexpire");
        },
        3}},
      {"ttl",
       {[](Db& db, Args a, io::ByteBuffer& o) { Ttl(db, a, o, false); }, 2}},
      {"pttl",
       {[](Db& db, Args a, io::ByteBuffer& o) { Ttl(db, a, o, true); }, 2}},
      {"publish", {Publish, 3}},
      {"pubsub", {PubSub, -2}},
      {"subscribe", {None, -2, CommandOutcome::kPubSub}},
      {"psubscribe", {None, -2, CommandOutcome::kPubSub}},
      {"unsubscribe", {None, -1, CommandOutcome::kPubSub}},
      {"punsubscribe", {None, -1, CommandOutcome::kPubSub}},
  };
  return *table;
}

void UnknownCommand(Args args, io::ByteBuffer& out) {
  // As redis words it: the name, then the first arguments, up to 128 bytes.
  std::string listed;
  for (size_t i = 1; i < args.size() && listed.size() < 128; ++i) {
    absl::StrAppend(&listed, "'", Sv(args[i].substr(0, 128 - listed.size())),
                    "' ");
  }
  AppendError(out, OneLine(absl::StrCat(
                       "ERR unknown command '", Sv(args[0].substr(0, 128)),
                       "', with args beginning with: ", listed)));
}

}  // namespace

CommandOutcome RunCommand(Db& db, Args args, io::ByteBuffer& out) {
  const auto& table = Table();
  auto it = table.find(args[0]);
  if (it == table.end()) {
    UnknownCommand(args, out);
    return CommandOutcome::kReplied;
  }
  const Spec& spec = it->second;
  const int words = static_cast<int>(args.size());
  if (spec.arity > 0 ? words != spec.arity : words < -spec.arity) {
    AppendError(out, OneLine(absl::StrCat("ERR wrong number of arguments for '",
                                          ToLower(args[0]), "' command")));
    return CommandOutcome::kReplied;
  }
  spec.run(db, args, out);
  if (spec.outcome == CommandOutcome::kQuit) AppendSimple(out, "OK");
  return spec.outcome;
}

bool AllowedWhileSubscribed(std::string_view name) {
  for (std::string_view allowed : {"subscribe", "psubscribe", "unsubscribe",
                                   "punsubscribe", "ping", "quit"}) {
    if (EqualsIgnoreCase(name, allowed)) return true;
  }
  return false;
}

}  // namespace weft::mini_redis
