// Framing: LinesCodec and LengthDelimitedCodec through FramedRead,
// FramedWrite and Framed. Frames come out whole however the bytes were
// cut; bad input (an over-long line, a length over the maximum, EOF inside
// a frame) is an error naming the stream, never a crash, a hang or
// unbounded buffering.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/duplex.h"
#include "net/framed.h"
#include "net/io_ext.h"
#include "net/length_delimited_codec.h"
#include "net/lines_codec.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using namespace std::string_view_literals;

// Writes `bytes` to `end` in pieces of `step`, then shuts it down. (Called
// with a std::string, never a literal: g++ 12 cannot initialize a
// coroutine's by-value parameter from an array.)
Task<> Trickle(io::DuplexStream& end, std::string bytes, size_t step) {
  for (size_t i = 0; i < bytes.size(); i += step) {
    EXPECT_TRUE(
        (co_await io::WriteAll(end, std::string_view(bytes).substr(i, step)))
            .ok());
  }
  EXPECT_TRUE(end.Shutdown().ok());
}

// Every frame until EOF or an error (which ends the list as "ERROR <msg>").
// Its result is named before it is compared: g++ 12 cannot build a braced
// std::vector<std::string> in the same full-expression as a co_await.
template <class F>
Task<std::vector<std::string>> Drain(F& framed) {
  std::vector<std::string> frames;
  std::string frame;
  for (;;) {
    absl::StatusOr<bool> got = co_await framed.Next(frame);
    if (!got.ok()) {
      frames.push_back("ERROR " + std::string(got.status().message()));
      co_return frames;
    }
    if (!*got) co_return frames;
    frames.push_back(frame);
  }
}

TEST(LinesCodec, LinesComeOutWholeHoweverTheBytesWereCut) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    for (size_t step : {1, 2, 3, 7, 100}) {
      auto [a, b] = io::Duplex(16);
      io::FramedRead lines(std::move(b), io::LinesCodec(64));
      auto writer =
          Spawn(Trickle(a, std::string("alpha\r\nbeta\n\ngamma"), step));
      const std::vector<std::string> frames1 = co_await Drain(lines);
      EXPECT_EQ(frames1,
                (std::vector<std::string>{"alpha", "beta", "", "gamma"}))
          << "step " << step;
      co_await writer;
    }
  });
}

TEST(LinesCodec, AnOverLongLineIsAnErrorAndTheNextLineStillComes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(1 << 16);
    io::FramedRead lines(std::move(b), io::LinesCodec(8));
    auto writer = Spawn(Trickle(
        a, std::string("short\n") + std::string(5000, 'x') + "\nafter\n", 100));
    std::string line;
    EXPECT_TRUE(*co_await lines.Next(line));
    EXPECT_EQ(line, "short");
    absl::StatusOr<bool> got = co_await lines.Next(line);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(got.status().message(),
              "read frame stream: line longer than 8 bytes");
    // Memory stayed bounded: the codec dropped the long line as it came.
    EXPECT_LE(lines.ReadBuffer().size(), 8u + 2 + 8 * 1024);
    EXPECT_TRUE(*co_await lines.Next(line));
    EXPECT_EQ(line, "after");
    EXPECT_FALSE(*co_await lines.Next(line));
    co_await writer;
  });
}

TEST(LinesCodec, ALineOfExactlyTheMaximumIsNotTooLong) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedRead lines(std::move(b), io::LinesCodec(4));
    auto writer = Spawn(Trickle(a, std::string("abcd\r\nabcd\nabcde\n"), 1));
    const std::vector<std::string> frames2 = co_await Drain(lines);
    EXPECT_EQ(frames2,
              (std::vector<std::string>{
                  "abcd", "abcd",
                  "ERROR read frame stream: line longer than 4 bytes"}));
    co_await writer;
  });
}

TEST(LinesCodec, EncodingAppendsTheLineEnd) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedWrite out(std::move(a), io::LinesCodec());
    EXPECT_TRUE(out.Feed("one"sv).ok());
    EXPECT_TRUE(out.Feed(std::string("two")).ok());
    EXPECT_TRUE((co_await out.Flush()).ok());
    EXPECT_TRUE((co_await out.Send("three"sv)).ok());
    char buf[14];
    EXPECT_TRUE((co_await io::ReadExact(b, buf)).ok());
    EXPECT_EQ(std::string(buf, 14), "one\ntwo\nthree\n");
  });
}

TEST(LengthDelimitedCodec, FramesRoundTripForEveryWidthAndOrder) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    const std::vector<std::string> payloads = {"", "x", std::string(200, 'y'),
                                               testing::Payload(4, 3000)};
    for (int width : {1, 2, 3, 4, 8}) {
      for (bool big_endian : {true, false}) {
        const io::LengthDelimitedCodec::Options options{
            .length_field_bytes = width, .big_endian = big_endian};
        auto [a, b] = io::Duplex(256);
        io::FramedWrite out(std::move(a), io::LengthDelimitedCodec(options));
        io::FramedRead in(std::move(b), io::LengthDelimitedCodec(options));
        auto writer = Spawn([&]() -> Task<> {
          for (const std::string& p : payloads) {
            if (width == 1 && p.size() > 255) continue;
            EXPECT_TRUE((co_await out.Send(p)).ok());
          }
          EXPECT_TRUE(out.inner().Shutdown().ok());
        });
        std::vector<std::string> want;
        for (const std::string& p : payloads) {
          if (width != 1 || p.size() <= 255) want.push_back(p);
        }
        const std::vector<std::string> frames3 = co_await Drain(in);
        EXPECT_EQ(frames3, want)
            << "width " << width << " big_endian " << big_endian;
        co_await writer;
      }
    }
  });
}

TEST(LengthDelimitedCodec, TheHeaderIsReadInTheOrderAsked) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedRead in(std::move(b),
                      io::LengthDelimitedCodec(
                          {.length_field_bytes = 2, .big_endian = false}));
    auto writer = Spawn(Trickle(a,
                                std::string("\x03\x00"
                                            "abc",
                                            5),
                                1));
    const std::vector<std::string> frames4 = co_await Drain(in);
    EXPECT_EQ(frames4, std::vector<std::string>{"abc"});
    co_await writer;
  });
}

TEST(LengthDelimitedCodec, ALengthOverTheMaximumIsRefusedBeforeItsPayload) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedRead in(std::move(b),
                      io::LengthDelimitedCodec({.max_frame_length = 1000}));
    // A header announcing 4 GiB, and no payload: the error comes at once.
    EXPECT_TRUE((co_await io::WriteAll(a, "\xff\xff\xff\xff"sv)).ok());
    std::string frame;
    absl::StatusOr<bool> got = co_await in.Next(frame);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_EQ(got.status().message(),
              "read frame stream: frame of 4294967295 bytes is over the "
              "maximum 1000");
  });
}

TEST(LengthDelimitedCodec, EofInsideAFrameIsDataLoss) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    for (auto [bytes, why] : std::vector<std::pair<std::string, std::string>>{
             {std::string("\0\0\0\x05"
                          "ab",
                          6),
              "EOF after 2 of 5 bytes of a frame's payload"},
             {std::string("\0\0", 2),
              "EOF after 2 of 4 bytes of a length header"}}) {
      auto [a, b] = io::Duplex(64);
      io::FramedRead in(std::move(b), io::LengthDelimitedCodec());
      auto writer = Spawn(Trickle(a, bytes, 100));
      std::string frame;
      absl::StatusOr<bool> got = co_await in.Next(frame);
      EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
      EXPECT_EQ(got.status().message(), "read frame stream: " + why);
      co_await writer;
    }
  });
}

TEST(LengthDelimitedCodec, EncodingRefusesWhatTheHeaderCannotCarry) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedWrite out(
        std::move(a), io::LengthDelimitedCodec(
                          {.length_field_bytes = 1, .max_frame_length = 1000}));
    EXPECT_EQ(out.Feed(std::string(300, 'x')).code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(out.Feed(std::string(2000, 'x')).code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(out.WriteBuffer().empty());  // nothing half written
    co_return;
  });
}

// A Next that loses a Select while it waits for bytes has consumed nothing:
// the next Next reads the frame whole. (Its read loop is a frame of its
// own; the loser's is destroyed with the branch, exactly once.)
TEST(Framed, ANextLosingASelectWhileReadingLosesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(64);
    io::FramedRead lines(std::move(b), io::LinesCodec());
    std::string line;
    Notify other;
    auto notifier = Spawn([&other]() -> Task<> {
      other.NotifyOne();
      co_return;
    });
    EXPECT_TRUE((co_await io::WriteAll(a, std::string_view("hal"))).ok());
    auto first = co_await Select(lines.Next(line), other.Notified());
    EXPECT_EQ(first.index(), 1u);  // Next was left waiting for its "\n"
    co_await notifier;
    EXPECT_TRUE((co_await io::WriteAll(a, std::string_view("f\n"))).ok());
    absl::StatusOr<bool> got = co_await lines.Next(line);
    EXPECT_TRUE(got.ok() && *got);
    EXPECT_EQ(line, "half");
  });
}

// Over a real socket, errors name the peer; both directions on one stream.
TEST(Framed, LinesOverTcpAndErrorsNameThePeer) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    net::TcpListener listener = co_await testing::BindLoopback();
    const net::SocketAddr addr = listener.LocalAddr();
    auto server = Spawn([&listener]() -> Task<> {
      auto accepted = co_await listener.Accept();
      EXPECT_TRUE(accepted.ok());
      io::Framed lines(std::move(accepted->first), io::LinesCodec(16));
      std::string line;
      while (*co_await lines.Next(line)) {
        EXPECT_TRUE((co_await lines.Send("echo: " + line)).ok());
      }
    });
    absl::StatusOr<net::TcpStream> client =
        co_await net::TcpStream::Connect(addr);
    EXPECT_TRUE(client.ok());
    io::Framed lines(std::move(*client), io::LinesCodec(8));
    EXPECT_TRUE((co_await lines.Send("hi"sv)).ok());
    std::string line;
    EXPECT_TRUE(*co_await lines.Next(line));
    EXPECT_EQ(line, "echo: hi");
    EXPECT_TRUE((co_await lines.Send("a longer one"sv)).ok());
    absl::StatusOr<bool> got = co_await lines.Next(line);  // 18 > 8
    EXPECT_EQ(got.status().message(),
              "read frame " + addr.ToString() + ": line longer than 8 bytes");
    EXPECT_TRUE(lines.inner().Shutdown().ok());
    co_await server;
  });
}

}  // namespace
}  // namespace weft
