// A netcat-like client: stdin to the socket, the socket to stdout.
//
// Run it:  tools/bazel run //examples:connect -- --addr=127.0.0.1:8080
//          (with //examples:echo running, type lines and see them echoed)
//
// Two tasks share one connection through its halves: one copies stdin into
// the write half and then shuts writing down (the server sees EOF), the
// other copies the read half to stdout until the server closes. This is
// io::Copy twice, over two different kinds of byte stream.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <span>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "net/copy.h"
#include "net/split.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:8080", "address to connect to");

namespace {

// A plain file descriptor as an AsyncRead / AsyncWrite. Pipes and terminals
// go through the reactor; regular files (which epoll refuses and which
// never block) are read and written directly.
class FdStream {
 public:
  explicit FdStream(int fd) : fd_(fd) {
    const int flags = fcntl(fd, F_GETFL);
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0) {
      auto io = weft::AsyncFd::Create(dup(fd));
      if (io.ok()) io_ = *std::move(io);
      restore_flags_ = flags;
    }
  }
  ~FdStream() {
    // The shell shares this open file: give it back blocking.
    if (restore_flags_ >= 0) fcntl(fd_, F_SETFL, restore_flags_);
  }

  weft::Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    for (;;) {
      if (io_.valid()) co_await io_.Readable();
      const ssize_t n = read(fd(), buf.data(), buf.size());
      if (n >= 0) co_return static_cast<size_t>(n);
      if (errno == EAGAIN && io_.valid()) {
        io_.ClearReadable();
      } else if (errno != EINTR) {
        co_return absl::ErrnoToStatus(errno, "read stdin");
      }
    }
  }

  weft::Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    for (;;) {
      if (io_.valid()) co_await io_.Writable();
      const ssize_t n = write(fd(), buf.data(), buf.size());
      if (n >= 0) co_return static_cast<size_t>(n);
      if (errno == EAGAIN && io_.valid()) {
        io_.ClearWritable();
      } else if (errno != EINTR) {
        co_return absl::ErrnoToStatus(errno, "write stdout");
      }
    }
  }

 private:
  int fd() const { return io_.valid() ? io_.fd() : fd_; }
  int fd_;
  int restore_flags_ = -1;
  weft::AsyncFd io_;
};

weft::Task<int> Main(std::string addr) {
  auto stream = co_await weft::net::TcpStream::Connect(addr);
  if (!stream.ok()) {
    std::fprintf(stderr, "connect: %s\n", stream.status().ToString().c_str());
    co_return 1;
  }
  auto halves = stream->Split();  // (clang 14 cannot capture bindings)
  weft::net::ReadHalf& reader = halves.first;
  weft::net::WriteHalf& writer = halves.second;
  FdStream in(STDIN_FILENO);
  FdStream out(STDOUT_FILENO);
  auto upload = weft::Spawn([&]() -> weft::Task<absl::Status> {
    auto sent = co_await weft::io::Copy(in, writer);
    if (!sent.ok()) co_return sent.status();
    co_return writer.Shutdown();  // half-close: "no more from me"
  });
  auto received = co_await weft::io::Copy(reader, out);
  absl::Status up = *(co_await upload);
  if (!received.ok() || !up.ok()) {
    std::fprintf(stderr, "connect: %s\n",
                 (!up.ok() ? up : received.status()).ToString().c_str());
    co_return 1;
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  weft::Runtime runtime;
  return runtime.BlockOn(Main(absl::GetFlag(FLAGS_addr)));
}
