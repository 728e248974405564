// TcpSocket: a TCP socket not yet connected or listening, to set options
// on first (tokio's net::TcpSocket).
//
//   CO_ASSIGN_OR_RETURN(TcpSocket socket, TcpSocket::For(addr));
//   CO_RETURN_IF_ERROR(socket.SetReusePort(true));
//   CO_RETURN_IF_ERROR(socket.Bind(addr));
//   CO_ASSIGN_OR_RETURN(TcpListener listener, std::move(socket).Listen(4096));
//
//   TcpSocket client = *TcpSocket::NewV4();
//   (void)client.SetKeepAlive(true);
//   (void)client.Bind(*SocketAddr::Parse("10.0.0.2:0"));  // pick the source
//   auto stream = co_await std::move(client).Connect(addr);
//
// TcpListener::Bind and TcpStream::Connect are this with tokio's defaults
// (SO_REUSEADDR and a backlog of 1024 for a listener; nothing for a
// client). Each option's error names the option and, once bound, the
// address. Connect and Listen consume the socket; destroying an unused one
// closes it.
#ifndef WEFT_NET_TCP_SOCKET_H_
#define WEFT_NET_TCP_SOCKET_H_

#include <chrono>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/task/task.h"

namespace weft::net {

class TcpSocket {
 public:
  static absl::StatusOr<TcpSocket> NewV4();
  static absl::StatusOr<TcpSocket> NewV6();
  // Of `addr`'s family.
  static absl::StatusOr<TcpSocket> For(const SocketAddr& addr);

  TcpSocket(TcpSocket&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), bound_(std::move(other.bound_)) {}
  TcpSocket& operator=(TcpSocket&& other) noexcept;
  ~TcpSocket();

  absl::Status SetReuseAddr(bool on);
  absl::StatusOr<bool> ReuseAddr() const;
  absl::Status SetReusePort(bool on);
  absl::StatusOr<bool> ReusePort() const;
  absl::Status SetKeepAlive(bool on);
  absl::StatusOr<bool> KeepAlive() const;
  absl::Status SetNoDelay(bool on);
  absl::StatusOr<bool> NoDelay() const;
  // SO_LINGER: close() waits up to `timeout` (whole seconds) for unsent
  // data; nullopt turns lingering off.
  absl::Status SetLinger(std::optional<std::chrono::seconds> timeout);
  absl::StatusOr<std::optional<std::chrono::seconds>> Linger() const;
  // The kernel doubles what it is given, and has a floor (socket(7)); the
  // getters say what it chose.
  absl::Status SetSendBufferSize(int bytes);
  absl::StatusOr<int> SendBufferSize() const;
  absl::Status SetRecvBufferSize(int bytes);
  absl::StatusOr<int> RecvBufferSize() const;

  absl::Status Bind(const SocketAddr& addr);
  absl::StatusOr<SocketAddr> LocalAddr() const;

  // Connects (from the bound address, if Bind was called).
  Task<absl::StatusOr<TcpStream>> Connect(SocketAddr addr) &&;
  // Listens with `backlog`; on the current runtime.
  absl::StatusOr<TcpListener> Listen(int backlog) &&;

  int NativeHandle() const { return fd_; }

 private:
  explicit TcpSocket(int fd) : fd_(fd) {}
  absl::Status Set(int level, int name, int value, const char* what);
  absl::StatusOr<int> Get(int level, int name, const char* what) const;
  absl::Status Error(const char* what, int err) const;

  int fd_ = -1;
  std::optional<SocketAddr> bound_;  // what errors name, once bound
};

}  // namespace weft::net

#endif  // WEFT_NET_TCP_SOCKET_H_
