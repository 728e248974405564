// SocketAddr: an IPv4 or IPv6 address and a port.
//
//   SocketAddr::Parse("127.0.0.1:8080")   SocketAddr::Parse("[::1]:8080")
//   addr.ToString() == "127.0.0.1:8080"
//
// Bad text is an InvalidArgument status that quotes the input.
#ifndef WEFT_NET_SOCKET_ADDR_H_
#define WEFT_NET_SOCKET_ADDR_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace weft::net {

class SocketAddr {
 public:
  // 0.0.0.0:0
  SocketAddr();

  static absl::StatusOr<SocketAddr> Parse(absl::string_view text);
  // From what accept/getsockname filled in; InvalidArgument if not IP.
  static absl::StatusOr<SocketAddr> FromSockaddr(const sockaddr* addr,
                                                 socklen_t len);
  static SocketAddr Loopback(uint16_t port);  // 127.0.0.1:port

  bool is_ipv6() const { return storage_.v6.sin6_family == AF_INET6; }
  uint16_t port() const;
  int family() const { return storage_.v4.sin_family; }
  const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&storage_);
  }
  socklen_t sockaddr_len() const {
    return is_ipv6() ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  }

  // "1.2.3.4:80" or "[::1]:80".
  std::string ToString() const;

  friend bool operator==(const SocketAddr& a, const SocketAddr& b);
  friend std::ostream& operator<<(std::ostream& os, const SocketAddr& a) {
    return os << a.ToString();
  }

 private:
  union {
    sockaddr_in v4;
    sockaddr_in6 v6;
  } storage_;
};

}  // namespace weft::net

#endif  // WEFT_NET_SOCKET_ADDR_H_
