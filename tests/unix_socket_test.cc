// Unix sockets: streams and datagrams on paths, abstract names and
// socketpairs; the peer's credentials; and every bad input with a clear
// error: a path too long for sun_path, a path nobody serves, a stale
// socket file (removed only when asked, and only if nobody answers).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "net/framed.h"
#include "net/io_ext.h"
#include "net/lines_codec.h"
#include "net/unix_datagram.h"
#include "net/unix_stream.h"
#include "runtime/weft.h"

namespace weft {
namespace {

using namespace std::string_view_literals;
using net::UnixAddr;
using net::UnixDatagram;
using net::UnixListener;
using net::UnixStream;

// A fresh directory under /tmp (Bazel's TEST_TMPDIR can be longer than a
// socket path may be), removed with its files at the end.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/weft-unix-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

TEST(UnixStream, AServerOnAPathTalksWithItsClients) {
  Runtime rt;
  TempDir dir;
  const std::string path = dir.File("echo.sock");
  rt.BlockOn([&]() -> Task<> {
    absl::StatusOr<UnixListener> listener = UnixListener::Bind(path);
    EXPECT_TRUE(listener.ok()) << listener.status();
    EXPECT_EQ(listener->LocalAddr().ToString(), path);
    auto server = Spawn([&]() -> Task<> {
      auto accepted = co_await listener->Accept();
      EXPECT_TRUE(accepted.ok()) << accepted.status();
      EXPECT_TRUE(accepted->second.is_unnamed());  // the client did not bind
      // The codecs and helpers take a UnixStream like any stream.
      io::Framed lines(std::move(accepted->first), io::LinesCodec());
      std::string line;
      while (*co_await lines.Next(line)) {
        EXPECT_TRUE((co_await lines.Send("re: " + line)).ok());
      }
    });
    absl::StatusOr<UnixStream> client = co_await UnixStream::Connect(path);
    EXPECT_TRUE(client.ok()) << client.status();
    EXPECT_EQ(client->PeerAddr().ToString(), path);
    EXPECT_TRUE((co_await io::WriteAll(*client, "one\ntwo\n"sv)).ok());
    EXPECT_TRUE(client->Shutdown().ok());
    std::string replies;
    EXPECT_TRUE((co_await io::ReadToEnd(*client, replies)).ok());
    EXPECT_EQ(replies, "re: one\nre: two\n");
    co_await server;
  });
}

TEST(UnixStream, AnAbstractNameWorksAndLeavesNoFile) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    const std::string name = "weft-test-" + std::to_string(getpid());
    absl::StatusOr<UnixAddr> addr = UnixAddr::Abstract(name);
    absl::StatusOr<UnixListener> listener = UnixListener::Bind(*addr);
    EXPECT_TRUE(listener.ok()) << listener.status();
    EXPECT_EQ(listener->LocalAddr().ToString(), "@" + name);
    absl::StatusOr<UnixStream> client = co_await UnixStream::Connect(*addr);
    EXPECT_TRUE(client.ok()) << client.status();
    auto accepted = co_await listener->Accept();
    EXPECT_TRUE((co_await io::WriteAll(*client, "hi"sv)).ok());
    char buf[2];
    EXPECT_TRUE((co_await io::ReadExact(accepted->first, buf)).ok());
    EXPECT_FALSE(Exists(name));
  });
}

TEST(UnixStream, APairTalksAndKnowsItsPeersCredentials) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto pair = UnixStream::Pair();
    EXPECT_TRUE(pair.ok()) << pair.status();
    auto& [a, b] = *pair;
    EXPECT_TRUE((co_await io::WriteAll(a, "x"sv)).ok());
    char c;
    EXPECT_EQ(*co_await b.Read(std::span(&c, 1)), 1u);
    absl::StatusOr<UnixStream::Credentials> cred = b.PeerCred();
    EXPECT_TRUE(cred.ok()) << cred.status();
    EXPECT_EQ(cred->pid, getpid());
    EXPECT_EQ(cred->uid, getuid());
    EXPECT_EQ(cred->gid, getgid());
  });
}

TEST(UnixAddr, APathTooLongForSunPathIsRefusedNotCut) {
  const std::string long_path = "/tmp/" + std::string(200, 'a');
  absl::StatusOr<UnixAddr> addr = UnixAddr::Path(long_path);
  EXPECT_EQ(addr.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(addr.status().message(),
            "unix address '" + long_path +
                "': 205 bytes, longer than sun_path's 107");
  EXPECT_EQ(UnixListener::Bind(long_path).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(UnixAddr::Abstract(std::string(108, 'n')).ok());
  EXPECT_TRUE(UnixAddr::Abstract(std::string(107, 'n')).ok());
  EXPECT_TRUE(UnixAddr::Path("/" + std::string(106, 'p')).ok());
}

TEST(UnixStream, ConnectingWhereNobodyServesNamesThePath) {
  Runtime rt;
  TempDir dir;
  rt.BlockOn([&]() -> Task<> {
    const std::string missing = dir.File("missing.sock");
    absl::StatusOr<UnixStream> none = co_await UnixStream::Connect(missing);
    EXPECT_EQ(none.status().message(),
              "connect " + missing + ": No such file or directory");
    // A socket file whose server is gone: refused.
    const std::string stale = dir.File("stale.sock");
    { EXPECT_TRUE(UnixListener::Bind(stale).ok()); }
    absl::StatusOr<UnixStream> refused = co_await UnixStream::Connect(stale);
    EXPECT_EQ(refused.status().message(),
              "connect " + stale + ": Connection refused");
  });
}

TEST(UnixListener, AStaleSocketFileIsRemovedOnlyWhenAskedAndOnlyIfDead) {
  Runtime rt;
  TempDir dir;
  rt.BlockOn([&]() -> Task<> {
    const std::string path = dir.File("server.sock");
    { EXPECT_TRUE(UnixListener::Bind(path).ok()); }  // died, left its file
    EXPECT_TRUE(Exists(path));
    absl::StatusOr<UnixListener> again = UnixListener::Bind(path);
    EXPECT_FALSE(again.ok());
    EXPECT_EQ(again.status().message(),
              "bind " + path + ": Address already in use");
    absl::StatusOr<UnixListener> fresh =
        UnixListener::Bind(path, {.remove_stale = true});
    EXPECT_TRUE(fresh.ok()) << fresh.status();
    // Now somebody serves it: remove_stale must not take it away.
    absl::StatusOr<UnixListener> thief =
        UnixListener::Bind(path, {.remove_stale = true});
    EXPECT_EQ(thief.status().message(),
              "bind " + path + ": a server is listening there");
    EXPECT_TRUE((co_await UnixStream::Connect(path)).ok());
    // And a file that is no socket is never removed.
    const std::string plain = dir.File("notes.txt");
    std::ofstream(plain) << "keep me";
    absl::StatusOr<UnixListener> over =
        UnixListener::Bind(plain, {.remove_stale = true});
    EXPECT_EQ(over.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(Exists(plain));
  });
}

TEST(UnixDatagram, DatagramsGoWholeBetweenPathsAndPairs) {
  Runtime rt;
  TempDir dir;
  rt.BlockOn([&]() -> Task<> {
    absl::StatusOr<UnixDatagram> server = UnixDatagram::Bind(dir.File("s"));
    absl::StatusOr<UnixDatagram> client = UnixDatagram::Bind(dir.File("c"));
    EXPECT_TRUE(server.ok() && client.ok());
    EXPECT_TRUE((co_await client->SendTo("ask"sv, server->LocalAddr())).ok());
    char buf[8];
    auto got = co_await server->RecvFrom(buf);
    EXPECT_EQ(std::string_view(buf, got->first), "ask");
    EXPECT_EQ(got->second.ToString(), dir.File("c"));  // so it can answer
    EXPECT_TRUE((co_await server->SendTo("answer"sv, got->second)).ok());
    EXPECT_EQ(std::string_view(buf, *co_await client->Recv(buf)), "answer");
    // Too big for the buffer: reported, not cut.
    EXPECT_TRUE(
        (co_await client->SendTo(std::string(100, 'z'), server->LocalAddr()))
            .ok());
    auto truncated = co_await server->RecvFrom(buf);
    EXPECT_EQ(truncated.status().code(), absl::StatusCode::kOutOfRange);

    auto pair = UnixDatagram::Pair();
    EXPECT_TRUE(pair.ok()) << pair.status();
    EXPECT_TRUE((co_await pair->first.Send("p"sv)).ok());
    EXPECT_EQ(*co_await pair->second.Recv(buf), 1u);
  });
}

}  // namespace
}  // namespace weft
