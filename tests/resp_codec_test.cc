// mini-redis' RESP2 codec: every type round-trips; commands come out whole
// however they were cut, pipelined or inline; bad input is the protocol
// error redis answers with, and nothing is held for a header's word alone.
#include "examples/mini_redis/resp_codec.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace weft::mini_redis {
namespace {

// Decodes every frame in `bytes` fed `step` bytes at a time; an error ends
// the list as Error("DECODE <message>").
std::vector<Frame> DecodeAll(const std::string& bytes, size_t step,
                             RespCodec codec = RespCodec()) {
  io::ByteBuffer buffer;
  std::vector<Frame> frames;
  for (size_t at = 0; at < bytes.size(); at += step) {
    buffer.Append(std::string_view(bytes).substr(at, step));
    for (;;) {
      Frame frame;
      absl::StatusOr<bool> got = codec.Decode(buffer, frame);
      if (!got.ok()) {
        frames.push_back(
            Frame::Error("DECODE " + std::string(got.status().message())));
        return frames;
      }
      if (!*got) break;
      frames.push_back(std::move(frame));
    }
  }
  return frames;
}

std::string Encode(const Frame& frame) {
  io::ByteBuffer buffer;
  EXPECT_TRUE(RespCodec().Encode(frame, buffer).ok());
  return std::string(buffer.View());
}

Frame Command(std::vector<std::string> words) {
  std::vector<Frame> items;
  for (std::string& w : words) items.push_back(Frame::Bulk(std::move(w)));
  return Frame::Array(std::move(items));
}

TEST(RespCodec, EveryTypeEncodesAsRedisWritesIt) {
  EXPECT_EQ(Encode(Frame::Simple("OK")), "+OK\r\n");
  EXPECT_EQ(Encode(Frame::Error("ERR no")), "-ERR no\r\n");
  EXPECT_EQ(Encode(Frame::Integer(-42)), ":-42\r\n");
  EXPECT_EQ(Encode(Frame::Bulk(std::string("a\r\nb", 4))), "$4\r\na\r\nb\r\n");
  EXPECT_EQ(Encode(Frame::Null()), "$-1\r\n");
  EXPECT_EQ(Encode(Command({"SET", "k", "v"})),
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
  io::ByteBuffer buffer;
  EXPECT_FALSE(RespCodec().Encode(Frame::Simple("two\r\nlines"), buffer).ok());
}

TEST(RespCodec, FramesRoundTripHoweverTheBytesAreCut) {
  const std::vector<Frame> frames = {
      Frame::Simple("PONG"),
      Frame::Error("ERR wrong"),
      Frame::Integer(1234567890123),
      Frame::Bulk(std::string(300, 'x')),
      Frame::Bulk(""),
      Frame::Null(),
      Frame::Array({Frame::Integer(1), Frame::Array({Frame::Bulk("deep")}),
                    Frame::Null()}),
      Frame::Array({}),
  };
  std::string bytes;
  for (const Frame& f : frames) bytes += Encode(f);
  for (size_t step : {size_t{1}, size_t{2}, size_t{7}, bytes.size()}) {
    EXPECT_EQ(DecodeAll(bytes, step), frames) << "step " << step;
  }
}

TEST(RespCodec, PipelinedAndInlineCommandsComeOutInOrder) {
  const std::string bytes = Encode(Command({"SET", "a", "1"})) + "PING\r\n" +
                            "\r\n" + "  GET   a \r\n" +
                            Encode(Command({"GET", "a"}));
  const std::vector<Frame> want = {Command({"SET", "a", "1"}),
                                   Command({"PING"}), Command({"GET", "a"}),
                                   Command({"GET", "a"})};
  EXPECT_EQ(DecodeAll(bytes, 1), want);
  EXPECT_EQ(DecodeAll(bytes, bytes.size()), want);
}

TEST(RespCodec, BadInputIsTheProtocolErrorRedisSends) {
  auto error = [](const std::string& bytes, RespCodec codec = RespCodec()) {
    std::vector<Frame> got = DecodeAll(bytes, bytes.size(), codec);
    return got.empty() ? std::string("<none>") : got.back().text;
  };
  EXPECT_EQ(error("$abc\r\n"), "DECODE Protocol error: invalid bulk length");
  EXPECT_EQ(error("$-5\r\n"), "DECODE Protocol error: invalid bulk length");
  EXPECT_EQ(error("*x\r\n"), "DECODE Protocol error: invalid multibulk length");
  EXPECT_EQ(error("*1\r\n?a\r\n"),
            "DECODE Protocol error: expected '$', got '?'");
  EXPECT_EQ(error("$3\r\nabcXY"),
            "DECODE Protocol error: expected CRLF after a bulk string");
  EXPECT_EQ(error(":12\n"), "DECODE Protocol error: expected CRLF");
  // Limits: refused at the header, before anything is held.
  RespCodec small({.max_bulk = 10, .max_multibulk = 3, .max_inline = 16});
  EXPECT_EQ(error("$11\r\n", small),
            "DECODE Protocol error: invalid bulk length");
  EXPECT_EQ(error("*4\r\n", small),
            "DECODE Protocol error: invalid multibulk length");
  EXPECT_EQ(error(std::string(20, 'P'), small),
            "DECODE Protocol error: too big inline request");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "*1\r\n";
  EXPECT_EQ(error(deep), "DECODE Protocol error: nesting too deep");
}

TEST(RespCodec, AHugeAnnouncedBulkHoldsNothingUntilItComes) {
  RespCodec codec;
  io::ByteBuffer buffer;
  buffer.Append(std::string_view("$500000000\r\nabc"));
  Frame frame;
  absl::StatusOr<bool> got = codec.Decode(buffer, frame);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);  // waits; allocated nothing for the 500 MB
  EXPECT_EQ(buffer.size(), 15u);
}

}  // namespace
}  // namespace weft::mini_redis
