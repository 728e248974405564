// TcpListener: a listening TCP socket on the reactor.
//
//   CO_ASSIGN_OR_RETURN(TcpListener listener,
//                       co_await TcpListener::Bind("127.0.0.1:0"));
//   auto accepted = co_await listener.Accept();  // {TcpStream, SocketAddr}
//
// Bind sets SO_REUSEADDR (a restarted server can bind its port while old
// connections sit in TIME_WAIT) and listens with a backlog of 1024. Port 0
// picks a free port; LocalAddr() says which.
//
// Accept retries by itself on ECONNABORTED (the client gave up while
// queued) and EINTR; resource errors (EMFILE, ENFILE, ENOBUFS, ENOMEM) are
// returned, naming the listener's address, for the caller to back off:
// retrying at once would spin, since the pending connection stays queued.
#ifndef WEFT_NET_TCP_LISTENER_H_
#define WEFT_NET_TCP_LISTENER_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "net/tcp_stream.h"
#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net {

class TcpListener {
 public:
  static constexpr int kBacklog = 1024;

  static Task<absl::StatusOr<TcpListener>> Bind(SocketAddr addr);
  // "ip:port", or "host:port" resolved with LookupHost (the first address
  // that binds). Malformed text is InvalidArgument quoting it.
  static Task<absl::StatusOr<TcpListener>> Bind(std::string addr);

  TcpListener(TcpListener&&) = default;
  TcpListener& operator=(TcpListener&&) = default;

  Task<absl::StatusOr<std::pair<TcpStream, SocketAddr>>> Accept();

  // The bound address, with the real port when bound to port 0.
  const SocketAddr& LocalAddr() const { return local_; }
  int NativeHandle() const { return io_.fd(); }

 private:
  friend class TcpSocket;
  TcpListener(AsyncFd io, SocketAddr local)
      : io_(std::move(io)), local_(std::move(local)) {}

  AsyncFd io_;
  SocketAddr local_;
};

// True for the accept errors that mean "out of descriptors or memory": wait
// before accepting again.
bool IsResourceExhausted(const absl::Status& accept_error);

}  // namespace weft::net

#endif  // WEFT_NET_TCP_LISTENER_H_
