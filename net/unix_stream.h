// UnixStream, UnixListener: stream sockets on a path or an abstract name
// (tokio's net::UnixStream and UnixListener).
//
//   CO_ASSIGN_OR_RETURN(UnixListener listener,
//   UnixListener::Bind("/run/app.sock")); auto accepted = co_await
//   listener.Accept();   // {UnixStream, UnixAddr}
//
//   CO_ASSIGN_OR_RETURN(UnixStream s, co_await
//   UnixStream::Connect("/run/app.sock")); auto [a, b] = *UnixStream::Pair();
//   // connected, no name
//
// A UnixStream reads and writes as a TcpStream does (StreamSocket,
// stream_socket.h), so the io:: helpers, BufReader, codecs and io::Split
// all take it; errors name the peer's path ("(unnamed)" for a client that
// did not bind, as most do). PeerCred() says which process is at the other
// end: its pid, uid and gid, as the kernel saw them at connect.
//
// The socket file: Bind creates it and nothing here removes it (tokio
// neither): remove it yourself when the server is done. A file left by a
// server that died makes the next Bind fail with "Address already in
// use"; pass {.remove_stale = true} to have Bind remove it first, which it
// does only if it is a socket that nobody answers on. An abstract name
// (UnixAddr::Abstract) leaves no file at all.
#ifndef WEFT_NET_UNIX_STREAM_H_
#define WEFT_NET_UNIX_STREAM_H_

#include <sys/types.h>

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/stream_socket.h"
#include "net/unix_addr.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

class UnixStream : public StreamSocket<UnixAddr> {
 public:
  static Task<absl::StatusOr<UnixStream>> Connect(UnixAddr addr);
  static Task<absl::StatusOr<UnixStream>> Connect(std::string_view path);
  // Two connected, unnamed ends (socketpair(2)).
  static absl::StatusOr<std::pair<UnixStream, UnixStream>> Pair();

  UnixStream(UnixStream&&) = default;
  UnixStream& operator=(UnixStream&&) = default;

  absl::StatusOr<UnixAddr> LocalAddr() const;

  struct Credentials {
    pid_t pid;
    uid_t uid;
    gid_t gid;
  };
  absl::StatusOr<Credentials> PeerCred() const;

 private:
  friend class UnixListener;
  UnixStream(AsyncFd io, UnixAddr peer)
      : StreamSocket(std::move(io), std::move(peer)) {}
};

class UnixListener {
 public:
  static constexpr int kBacklog = 1024;
  struct BindOptions {
    // If the path is taken by a socket file nobody answers on (a server
    // that died), remove it and bind.
    bool remove_stale = false;
    int backlog = kBacklog;
  };
  static absl::StatusOr<UnixListener> Bind(UnixAddr addr, BindOptions options);
  static absl::StatusOr<UnixListener> Bind(UnixAddr addr) {
    return Bind(std::move(addr), BindOptions{});
  }
  // A path; InvalidArgument if it is too long for sun_path.
  static absl::StatusOr<UnixListener> Bind(std::string_view path,
                                           BindOptions options);
  static absl::StatusOr<UnixListener> Bind(std::string_view path) {
    return Bind(path, BindOptions{});
  }

  UnixListener(UnixListener&&) = default;
  UnixListener& operator=(UnixListener&&) = default;

  Task<absl::StatusOr<std::pair<UnixStream, UnixAddr>>> Accept();
  const UnixAddr& LocalAddr() const { return local_; }
  int NativeHandle() const { return io_.fd(); }

 private:
  UnixListener(AsyncFd io, UnixAddr local)
      : io_(std::move(io)), local_(std::move(local)) {}

  AsyncFd io_;
  UnixAddr local_;
};

}  // namespace weft::net

#endif  // WEFT_NET_UNIX_STREAM_H_
