// mini-redis' commands, run directly against a Db (no sockets): each test
// checks the exact reply bytes redis gives. Expiry runs on the paused test
// clock, so no test waits for real time.
#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "examples/mini_redis/commands.h"
#include "examples/mini_redis/db.h"
#include "examples/mini_redis/glob.h"
#include "gtest/gtest.h"
#include "net/byte_buffer.h"
#include "runtime/weft.h"

namespace weft::mini_redis {
namespace {

using namespace std::chrono_literals;

// The reply to one command.
std::string Reply(Db& db, std::initializer_list<std::string_view> words) {
  std::vector<std::string_view> args(words);
  io::ByteBuffer out;
  RunCommand(db, args, out);
  return std::string(out.View());
}

TEST(MiniRedisCommands, PingEchoAndNamesInAnyCase) {
  Db db;
  EXPECT_EQ(Reply(db, {"PING"}), "+PONG\r\n");
  EXPECT_EQ(Reply(db, {"ping", "hi there"}), "$8\r\nhi there\r\n");
  EXPECT_EQ(Reply(db, {"EcHo", "x"}), "$1\r\nx\r\n");
  EXPECT_EQ(Reply(db, {"DBSIZE"}), ":0\r\n");
}

TEST(MiniRedisCommands, UnknownCommandsAndWrongArityAreErrorsNotDisconnects) {
  Db db;
  EXPECT_EQ(Reply(db, {"FOO", "a", "b"}),
            "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' "
            "\r\n");
  EXPECT_EQ(Reply(db, {"GET"}),
            "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(Reply(db, {"GET", "a", "b"}),
            "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(Reply(db, {"PING", "a", "b"}),
            "-ERR wrong number of arguments for 'ping' command\r\n");
  // A client's CR or LF never breaks the reply's line.
  EXPECT_EQ(Reply(db, {"X\r\nY"}),
            "-ERR unknown command 'X  Y', with args beginning with: \r\n");
}

TEST(MiniRedisCommands, SetGetDelExists) {
  Db db;
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", ""}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$0\r\n\r\n");
  EXPECT_EQ(Reply(db, {"EXISTS", "k", "k", "nope"}), ":2\r\n");
  EXPECT_EQ(Reply(db, {"DEL", "k", "nope"}), ":1\r\n");
  EXPECT_EQ(Reply(db, {"DEL", "k"}), ":0\r\n");
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$-1\r\n");
}

TEST(MiniRedisCommands, BinaryKeysAndValues) {
  Db db;
  const std::string key("a\0b", 3), value("\r\n\0", 3);
  EXPECT_EQ(Reply(db, {"SET", key, value}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"GET", key}), std::string("$3\r\n\r\n\0\r\n", 9));
  EXPECT_EQ(Reply(db, {"GET", "a"}), "$-1\r\n");
}

TEST(MiniRedisCommands, MsetAndMget) {
  Db db;
  EXPECT_EQ(Reply(db, {"MSET", "a", "1", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"MGET", "a", "nope", "b"}),
            "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
  EXPECT_EQ(Reply(db, {"MSET", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'mset' command\r\n");
}

TEST(MiniRedisCommands, SetNxAndXx) {
  Db db;
  EXPECT_EQ(Reply(db, {"SET", "k", "1", "XX"}), "$-1\r\n");  // not there
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "1", "NX"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "2", "nx"}), "$-1\r\n");  // there
  EXPECT_EQ(Reply(db, {"SET", "k", "3", "XX"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$1\r\n3\r\n");
}

TEST(MiniRedisCommands, SetRefusesBadOptionsAndChangesNothing) {
  Db db;
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "NX", "XX"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "EX"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "EX", "1", "PX", "5"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "BOGUS"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "EX", "ten"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "PX", "0"}),
            "-ERR invalid expire time in 'set' command\r\n");
  EXPECT_EQ(Reply(db, {"SET", "k", "v", "EX", "9223372036854775807"}),
            "-ERR invalid expire time in 'set' command\r\n");
  EXPECT_EQ(Reply(db, {"GET", "k"}), "$-1\r\n");
}

TEST(MiniRedisCommands, IncrAndDecrAsRedisDoes) {
  Db db;
  EXPECT_EQ(Reply(db, {"INCR", "n"}), ":1\r\n");  // a missing key counts from 0
  EXPECT_EQ(Reply(db, {"INCR", "n"}), ":2\r\n");
  EXPECT_EQ(Reply(db, {"DECR", "n"}), ":1\r\n");
  EXPECT_EQ(Reply(db, {"DECRBY", "n", "5"}), ":-4\r\n");
  EXPECT_EQ(Reply(db, {"INCRBY", "n", "14"}), ":10\r\n");
  EXPECT_EQ(Reply(db, {"GET", "n"}), "$2\r\n10\r\n");  // stored as text
  EXPECT_EQ(Reply(db, {"SET", "s", "abc"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"INCR", "s"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Reply(db, {"SET", "s", "1 "}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"INCR", "s"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Reply(db, {"SET", "max", "9223372036854775807"}), "+OK\r\n");
  EXPECT_EQ(Reply(db, {"INCR", "max"}),
            "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(Reply(db, {"GET", "max"}), "$19\r\n9223372036854775807\r\n");
  EXPECT_EQ(Reply(db, {"INCRBY", "n", "x"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(MiniRedisCommands, ConfigGetAnswersWhatBenchmarksProbe) {
  Db db;
  EXPECT_EQ(Reply(db, {"CONFIG", "GET", "save"}),
            "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
  EXPECT_EQ(Reply(db, {"config", "get", "APPENDONLY"}),
            "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
  EXPECT_EQ(Reply(db, {"CONFIG", "GET", "*"}),
            "*4\r\n$10\r\nappendonly\r\n$2\r\nno\r\n$4\r\nsave\r\n$0\r\n\r\n");
  EXPECT_EQ(Reply(db, {"CONFIG", "GET", "maxmemory"}), "*0\r\n");
  EXPECT_EQ(Reply(db, {"CONFIG", "SET", "save", ""}),
            "-ERR unknown subcommand 'SET'. Try CONFIG HELP.\r\n");
  EXPECT_EQ(Reply(db, {"COMMAND", "DOCS"}), "*0\r\n");
  EXPECT_EQ(Reply(db, {"COMMAND"}), "*0\r\n");
}

TEST(MiniRedisCommands, PublishWithNoSubscribersReachesNobody) {
  Db db;
  EXPECT_EQ(Reply(db, {"PUBLISH", "ch", "hello"}), ":0\r\n");
  EXPECT_EQ(Reply(db, {"PUBSUB", "NUMSUB", "ch"}), "*2\r\n$2\r\nch\r\n:0\r\n");
}

TEST(MiniRedisCommands, SubscribeCommandsAreLeftToTheConnection) {
  Db db;
  std::vector<std::string_view> args = {"SUBSCRIBE", "ch"};
  io::ByteBuffer out;
  EXPECT_EQ(RunCommand(db, args, out), CommandOutcome::kPubSub);
  EXPECT_TRUE(out.empty());
  args = {"QUIT"};
  EXPECT_EQ(RunCommand(db, args, out), CommandOutcome::kQuit);
  EXPECT_EQ(out.View(), "+OK\r\n");
  EXPECT_TRUE(AllowedWhileSubscribed("Ping"));
  EXPECT_FALSE(AllowedWhileSubscribed("GET"));
}

// ---- Expiry, on the paused clock

TEST(MiniRedisExpiry, KeysExpireAtTheirTime) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Db db;
    EXPECT_EQ(Reply(db, {"SET", "k", "v", "PX", "100"}), "+OK\r\n");
    EXPECT_EQ(Reply(db, {"PTTL", "k"}), ":100\r\n");
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":0\r\n");  // 0.1 s rounds to 0
    co_await time::Advance(99ms);
    EXPECT_EQ(Reply(db, {"GET", "k"}), "$1\r\nv\r\n");
    co_await time::Advance(1ms);
    EXPECT_EQ(Reply(db, {"GET", "k"}), "$-1\r\n");  // gone once read
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":-2\r\n");
    EXPECT_EQ(db.size(), 0u);
  });
}

TEST(MiniRedisExpiry, ExpireTtlAndTheirEdges) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Db db;
    EXPECT_EQ(Reply(db, {"EXPIRE", "k", "10"}), ":0\r\n");  // no such key
    Reply(db, {"SET", "k", "v"});
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":-1\r\n");  // never expires
    EXPECT_EQ(Reply(db, {"EXPIRE", "k", "10"}), ":1\r\n");
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":10\r\n");
    EXPECT_EQ(Reply(db, {"PEXPIRE", "k", "1500"}), ":1\r\n");
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":2\r\n");  // 1.5 s rounds up
    EXPECT_EQ(Reply(db, {"EXPIRE", "k", "x"}),
              "-ERR value is not an integer or out of range\r\n");
    // SET without an expiry takes the old one away, as in redis; INCR
    // keeps it.
    Reply(db, {"SET", "n", "1", "EX", "5"});
    Reply(db, {"INCR", "n"});
    EXPECT_EQ(Reply(db, {"TTL", "n"}), ":5\r\n");
    Reply(db, {"SET", "k", "w"});
    EXPECT_EQ(Reply(db, {"TTL", "k"}), ":-1\r\n");
    // A time not in the future removes the key at once.
    EXPECT_EQ(Reply(db, {"EXPIRE", "k", "0"}), ":1\r\n");
    EXPECT_EQ(Reply(db, {"EXISTS", "k"}), ":0\r\n");
    co_await time::Advance(5s);
    EXPECT_EQ(Reply(db, {"DEL", "n"}), ":0\r\n");  // expired: nothing to delete
  });
}

TEST(MiniRedisExpiry, TheBackgroundTaskRemovesKeysNobodyReads) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    auto db = std::make_shared<Db>();
    auto purge = Spawn(Db::PurgeExpired(db));
    Reply(*db, {"SET", "late", "v", "PX", "1000"});
    Reply(*db, {"SET", "never", "v"});
    co_await YieldNow();  // the purge task sleeps until 1000 ms
    // An earlier time wakes it earlier.
    Reply(*db, {"SET", "soon", "v", "PX", "10"});
    EXPECT_EQ(db->size(), 3u);
    co_await time::Advance(10ms);
    EXPECT_EQ(db->size(), 2u);
    co_await time::Advance(990ms);
    EXPECT_EQ(db->size(), 1u);
    EXPECT_EQ(Reply(*db, {"GET", "never"}), "$1\r\nv\r\n");
    // A key whose time moved later is not removed at its old time.
    Reply(*db, {"SET", "moved", "v", "PX", "10"});
    Reply(*db, {"PEXPIRE", "moved", "50"});
    co_await time::Advance(10ms);
    EXPECT_EQ(db->size(), 2u);
    co_await time::Advance(40ms);
    EXPECT_EQ(db->size(), 1u);
    purge.Abort();
  });
}

// ---- Patterns (PSUBSCRIBE)

TEST(MiniRedisGlob, MatchesAsRedisDoes) {
  struct Case {
    std::string_view pattern, text;
    bool match;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"*", "", true},
           {"*", "anything", true},
           {"news.*", "news.sport", true},
           {"news.*", "news", false},
           {"h?llo", "hello", true},
           {"h?llo", "hllo", false},
           {"h*llo", "hllo", true},
           {"h*llo", "heeeello", true},
           {"h[ae]llo", "hallo", true},
           {"h[ae]llo", "hillo", false},
           {"h[^e]llo", "hallo", true},
           {"h[^e]llo", "hello", false},
           {"h[a-c]llo", "hbllo", true},
           {"h[c-a]llo", "hbllo", true},  // a reversed range still counts
           {"h[a-c]llo", "hdllo", false},
           {"\\*", "*", true},
           {"\\*", "a", false},
           {"a*b*c", "aXbYc", true},
           {"a*b*c", "aXbY", false},
           {"*a*a*a*a*a*a*a*a*b", std::string_view("aaaaaaaaaaaaaaaaaaaaaaaa"),
            false},              // no exponential backtracking
           {"[abc", "b", true},  // an unclosed set takes the rest
           {"", "", true},
           {"", "a", false},
       }) {
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.match)
        << "'" << c.pattern << "' on '" << c.text << "'";
  }
}

}  // namespace
}  // namespace weft::mini_redis
