// Frame: one RESP2 value, what a redis client and server send each other
// (tokio's mini-redis frame.rs). A command is an array of bulk strings:
//
//   *3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n   ["SET", "key", "value"]
//
//   +OK\r\n          Simple("OK")        -ERR ...\r\n   Error("ERR ...")
//   :42\r\n          Integer(42)         $-1\r\n        Null()
//   $5\r\nhello\r\n  Bulk("hello")       *2\r\n...      Array({...})
#ifndef WEFT_EXAMPLES_MINI_REDIS_FRAME_H_
#define WEFT_EXAMPLES_MINI_REDIS_FRAME_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace weft::mini_redis {

struct Frame {
  enum class Kind { kSimple, kError, kInteger, kBulk, kNull, kArray };

  static Frame Simple(std::string text) {
    return Frame(Kind::kSimple, std::move(text));
  }
  static Frame Error(std::string text) {
    return Frame(Kind::kError, std::move(text));
  }
  static Frame Integer(int64_t value) {
    Frame frame(Kind::kInteger, {});
    frame.integer = value;
    return frame;
  }
  static Frame Bulk(std::string bytes) {
    return Frame(Kind::kBulk, std::move(bytes));
  }
  static Frame Null() { return Frame(Kind::kNull, {}); }
  static Frame Array(std::vector<Frame> items) {
    Frame frame(Kind::kArray, {});
    frame.array = std::move(items);
    return frame;
  }

  Frame() : Frame(Kind::kNull, {}) {}

  Kind kind;
  std::string text;          // kSimple, kError, kBulk
  int64_t integer = 0;       // kInteger
  std::vector<Frame> array;  // kArray

  friend bool operator==(const Frame& a, const Frame& b) {
    return a.kind == b.kind && a.text == b.text && a.integer == b.integer &&
           a.array == b.array;
  }
  // For test failures: the frame as redis-cli would show its kind and value.
  friend std::ostream& operator<<(std::ostream& os, const Frame& frame);

 private:
  Frame(Kind kind, std::string text) : kind(kind), text(std::move(text)) {}
};

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_FRAME_H_
