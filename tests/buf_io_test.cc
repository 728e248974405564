// BufReader and BufWriter: a read the buffer can satisfy makes no read on
// the stream; lines come out whole however the bytes were cut; a line read
// in part survives a lost Select; small writes reach the stream only on a
// flush (or when the buffer is full), and a flushed BufWriter loses nothing
// when it goes.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/buf_reader.h"
#include "net/buf_writer.h"
#include "net/duplex.h"
#include "net/io_ext.h"
#include "runtime/weft.h"
#include "tests/net_test_util.h"

namespace weft {
namespace {

using namespace std::string_view_literals;

// Hands out `data` at most `step` bytes per read, counting the reads.
struct CountingReader {
  std::string data;
  size_t step = 1 << 20;
  size_t at = 0;
  int* reads;
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    ++*reads;
    const size_t n = std::min({step, buf.size(), data.size() - at});
    std::copy_n(data.data() + at, n, buf.data());
    at += n;
    co_return n;
  }
};

// Keeps what it is given, counting the writes; fails once told to.
struct CountingWriter {
  std::string* out;
  int* writes;
  bool fail = false;
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    ++*writes;
    if (fail) co_return absl::UnavailableError("write test: refused");
    out->append(buf.data(), buf.size());
    co_return buf.size();
  }
};

TEST(BufReader, AReadTheBufferHoldsMakesNoReadOnTheStream) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int reads = 0;
    io::BufReader reader(CountingReader{.data = "abcdefghij", .reads = &reads},
                         /*capacity=*/64);
    char buf[3];
    EXPECT_EQ(*co_await reader.Read(buf), 3u);
    EXPECT_EQ(reads, 1);
    EXPECT_EQ(*co_await reader.Read(buf), 3u);
    EXPECT_EQ(*co_await reader.Read(buf), 3u);
    EXPECT_EQ(*co_await reader.Read(buf), 1u);
    EXPECT_EQ(reads, 1);                        // all four from the one read
    EXPECT_EQ(*co_await reader.Read(buf), 0u);  // EOF
  });
}

TEST(BufReader, AReadAsLargeAsTheBufferGoesStraightToTheStream) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int reads = 0;
    const std::string data = testing::Payload(1, 100);
    io::BufReader reader(CountingReader{.data = data, .reads = &reads},
                         /*capacity=*/16);
    std::string buf(64, '\0');
    EXPECT_EQ(*co_await reader.Read(buf), 64u);
    EXPECT_TRUE(reader.Buffer().empty());  // nothing was copied through it
    EXPECT_EQ(buf, data.substr(0, 64));
  });
}

TEST(BufReader, ReadLineAndReadUntilFindTheirEndAcrossReads) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int reads = 0;
    io::BufReader reader(
        CountingReader{
            .data = "first line\nsecond;third", .step = 3, .reads = &reads},
        /*capacity=*/4);
    std::string line;
    EXPECT_EQ(*co_await reader.ReadLine(line), 11u);
    EXPECT_EQ(line, "first line\n");
    std::string field;
    EXPECT_EQ(*co_await reader.ReadUntil(';', field), 7u);
    EXPECT_EQ(field, "second;");
    field.clear();
    EXPECT_EQ(*co_await reader.ReadUntil(';', field), 5u);  // up to EOF
    EXPECT_EQ(field, "third");
    EXPECT_EQ(*co_await reader.ReadUntil(';', field), 0u);
  });
}

TEST(Lines, StripsLineEndsAndCountsALastLineWithoutOne) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int reads = 0;
    io::Lines lines(io::BufReader(CountingReader{
        .data = "one\r\ntwo\n\nthree", .step = 2, .reads = &reads}));
    std::vector<std::string> got;
    for (;;) {
      absl::StatusOr<std::optional<std::string>> line =
          co_await lines.NextLine();
      EXPECT_TRUE(line.ok());
      if (!line.ok() || !*line) break;
      got.push_back(**line);
    }
    EXPECT_EQ(got, (std::vector<std::string>{"one", "two", "", "three"}));
  });
}

// A Duplex end that tells `read_done` after every read it completes.
struct NotifyingReader {
  io::DuplexStream stream;
  Notify* read_done;
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    absl::StatusOr<size_t> n = co_await stream.Read(buf);
    read_done->NotifyOne();
    co_return n;
  }
};

// A line half read when its NextLine loses a Select is finished by the
// next NextLine: nothing read is lost.
TEST(Lines, ALineReadInPartSurvivesALostSelect) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [client, server] = io::Duplex(64);
    Notify read_done;
    Notify other;
    io::Lines lines(
        io::BufReader(NotifyingReader{std::move(server), &read_done}));
    auto sender = Spawn([&client = client, &read_done, &other]() -> Task<> {
      EXPECT_TRUE((co_await io::WriteAll(client, "hel"sv)).ok());
      co_await read_done.Notified();  // the line's reader took "hel"
      other.NotifyOne();              // and now loses the Select
    });
    auto first = co_await Select(lines.NextLine(), other.Notified());
    EXPECT_EQ(first.index(), 1u);
    co_await sender;
    EXPECT_TRUE((co_await io::WriteAll(client, "lo\n"sv)).ok());
    absl::StatusOr<std::optional<std::string>> line = co_await lines.NextLine();
    EXPECT_EQ(line->value_or("<none>"), "hello");
  });
}

TEST(BufWriter, SmallWritesReachTheStreamOnlyOnAFlush) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    std::string out;
    int writes = 0;
    io::BufWriter writer(CountingWriter{&out, &writes}, /*capacity=*/16);
    for (int i = 0; i < 5; ++i) {
      EXPECT_TRUE((co_await io::WriteAll(writer, "abc"sv)).ok());
    }
    EXPECT_EQ(writes, 0);
    EXPECT_EQ(writer.Buffer().size(), 15u);
    // The next one does not fit: the 15 go first, in one write.
    EXPECT_TRUE((co_await io::WriteAll(writer, "de"sv)).ok());
    EXPECT_EQ(writes, 1);
    EXPECT_EQ(out, "abcabcabcabcabc");
    EXPECT_TRUE((co_await writer.Flush()).ok());
    EXPECT_EQ(writes, 2);
    EXPECT_EQ(out, "abcabcabcabcabcde");
    // One as large as the buffer is not copied into it.
    EXPECT_TRUE((co_await io::WriteAll(writer, std::string(32, 'x'))).ok());
    EXPECT_EQ(writes, 3);
    EXPECT_TRUE(writer.Buffer().empty());
  });
}

TEST(BufWriter, AFailedFlushKeepsWhatItCouldNotWrite) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    std::string out;
    int writes = 0;
    io::BufWriter writer(CountingWriter{&out, &writes, /*fail=*/true}, 64);
    EXPECT_TRUE((co_await io::WriteAll(writer, "keep me"sv)).ok());
    absl::Status flushed = co_await writer.Flush();
    EXPECT_EQ(flushed.code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(std::string(writer.Buffer().data(), writer.Buffer().size()),
              "keep me");
    writer.inner().fail = false;
    EXPECT_TRUE((co_await writer.Flush()).ok());
    EXPECT_EQ(out, "keep me");
  });
}

TEST(BufWriter, AFlushedWriterLosesNothingWhenItGoes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [a, b] = io::Duplex(1 << 16);
    const std::string payload = testing::Payload(9, 10'000);
    {
      io::BufWriter writer(std::move(a));
      for (size_t i = 0; i < payload.size(); i += 100) {
        EXPECT_TRUE((co_await io::WriteAll(
                         writer, std::string_view(payload).substr(i, 100)))
                        .ok());
      }
      EXPECT_TRUE((co_await writer.Flush()).ok());
    }  // the writer, and the Duplex end in it, go
    std::string got;
    EXPECT_EQ(*co_await io::ReadToEnd(b, got), payload.size());
    EXPECT_TRUE(got == payload);
  });
}

}  // namespace
}  // namespace weft
