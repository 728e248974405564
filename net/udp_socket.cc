#include "net/udp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "net/lookup_host.h"
#include "net/tcp_stream.h"

namespace weft::net {
Task<absl::StatusOr<UdpSocket>> UdpSocket::Bind(SocketAddr addr) {
  const int fd =
      socket(addr.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) co_return SocketError("bind", addr, errno);
  absl::StatusOr<AsyncFd> io = AsyncFd::Create(fd);  // owns fd from here
  if (!io.ok()) co_return io.status();
  if (bind(fd, addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    co_return SocketError("bind", addr, errno);
  }
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    co_return SocketError("bind", addr, errno);
  }
  absl::StatusOr<SocketAddr> local =
      SocketAddr::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  if (!local.ok()) co_return local.status();
  co_return UdpSocket(*std::move(io), *std::move(local));
}

Task<absl::StatusOr<UdpSocket>> UdpSocket::Bind(std::string addr) {
  absl::StatusOr<UdpSocket> socket = co_await FirstThatWorks<UdpSocket>(
      std::move(addr), [](const SocketAddr& a) { return Bind(a); });
  co_return socket;
}

absl::Status UdpSocket::SetOption(int level, int name, int value,
                                  const char* what) {
  return SetOption(level, name, &value, sizeof value, what);
}

absl::Status UdpSocket::SetBroadcast(bool on) {
  return SetOption(SOL_SOCKET, SO_BROADCAST, on ? 1 : 0, "set_broadcast");
}

absl::StatusOr<bool> UdpSocket::Broadcast() const {
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(io_.fd(), SOL_SOCKET, SO_BROADCAST, &value, &len) != 0) {
    return SocketError("broadcast", local_, errno);
  }
  return value != 0;
}

absl::Status UdpSocket::SetTtl(int ttl) {
  return SetOption(IPPROTO_IP, IP_TTL, ttl, "set_ttl");
}

absl::Status UdpSocket::SetMulticastLoopV4(bool on) {
  return SetOption(IPPROTO_IP, IP_MULTICAST_LOOP, on ? 1 : 0,
                   "set_multicast_loop_v4");
}

absl::Status UdpSocket::SetMulticastTtlV4(int ttl) {
  return SetOption(IPPROTO_IP, IP_MULTICAST_TTL, ttl, "set_multicast_ttl_v4");
}

absl::Status UdpSocket::SetMulticastLoopV6(bool on) {
  return SetOption(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on ? 1 : 0,
                   "set_multicast_loop_v6");
}

absl::Status UdpSocket::SetOption(int level, int name, const void* value,
                                  socklen_t len, const char* what) {
  if (setsockopt(io_.fd(), level, name, value, len) != 0) {
    return SocketError(what, local_, errno);
  }
  return absl::OkStatus();
}

namespace {

// The text of an address for `what`, or InvalidArgument quoting it.
template <class In>
absl::Status ParseIp(int family, std::string_view text, In* out,
                     const char* what) {
  const std::string copy(text);
  if (inet_pton(family, copy.c_str(), out) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": '", absl::string_view(text.data(), text.size()),
        "' is not an IPv", family == AF_INET ? "4" : "6", " address"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UdpSocket::MembershipV4(int name, std::string_view group,
                                     std::string_view interface,
                                     const char* what) {
  ip_mreq request{};
  absl::Status s = ParseIp(AF_INET, group, &request.imr_multiaddr, what);
  if (s.ok()) s = ParseIp(AF_INET, interface, &request.imr_interface, what);
  if (!s.ok()) return s;
  return SetOption(IPPROTO_IP, name, &request, sizeof request, what);
}

absl::Status UdpSocket::MembershipV6(int name, std::string_view group,
                                     unsigned interface, const char* what) {
  ipv6_mreq request{};
  absl::Status s = ParseIp(AF_INET6, group, &request.ipv6mr_multiaddr, what);
  if (!s.ok()) return s;
  request.ipv6mr_interface = interface;
  return SetOption(IPPROTO_IPV6, name, &request, sizeof request, what);
}

absl::Status UdpSocket::JoinMulticastV4(std::string_view group,
                                        std::string_view interface) {
  return MembershipV4(IP_ADD_MEMBERSHIP, group, interface, "join_multicast_v4");
}

absl::Status UdpSocket::LeaveMulticastV4(std::string_view group,
                                         std::string_view interface) {
  return MembershipV4(IP_DROP_MEMBERSHIP, group, interface,
                      "leave_multicast_v4");
}

absl::Status UdpSocket::JoinMulticastV6(std::string_view group,
                                        unsigned interface) {
  return MembershipV6(IPV6_ADD_MEMBERSHIP, group, interface,
                      "join_multicast_v6");
}

absl::Status UdpSocket::LeaveMulticastV6(std::string_view group,
                                         unsigned interface) {
  return MembershipV6(IPV6_DROP_MEMBERSHIP, group, interface,
                      "leave_multicast_v6");
}

}  // namespace weft::net
