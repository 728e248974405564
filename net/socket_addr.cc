#include "net/socket_addr.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace weft::net {
namespace {

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid socket address \"", text, "\": ", why,
                   " (expected IPv4:port or [IPv6]:port)"));
}

}  // namespace

SocketAddr::SocketAddr() {
  std::memset(&storage_, 0, sizeof storage_);
  storage_.v4.sin_family = AF_INET;
}

SocketAddr SocketAddr::Loopback(uint16_t port) {
  SocketAddr a;
  a.storage_.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.storage_.v4.sin_port = htons(port);
  return a;
}

absl::StatusOr<SocketAddr> SocketAddr::Parse(absl::string_view text) {
  absl::string_view host, port_text;
  const bool v6 = !text.empty() && text.front() == '[';
  if (v6) {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return Invalid(text, "missing ']'");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return Invalid(text, "missing ':port'");
    }
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      return Invalid(text, "missing ':port'");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  uint32_t port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    return Invalid(text, "bad port");
  }
  const std::string host_z(host);  // inet_pton wants a C string
  SocketAddr addr;
  if (v6) {
    addr.storage_.v6 = {};
    addr.storage_.v6.sin6_family = AF_INET6;
    addr.storage_.v6.sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, host_z.c_str(), &addr.storage_.v6.sin6_addr) != 1) {
      return Invalid(text, "bad IPv6 address");
    }
  } else {
    addr.storage_.v4.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host_z.c_str(), &addr.storage_.v4.sin_addr) != 1) {
      return Invalid(text, "bad IPv4 address");
    }
  }
  return addr;
}

absl::StatusOr<SocketAddr> SocketAddr::FromSockaddr(const sockaddr* sa,
                                                    socklen_t len) {
  SocketAddr addr;
  if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    std::memcpy(&addr.storage_.v4, sa, sizeof(sockaddr_in));
  } else if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    std::memcpy(&addr.storage_.v6, sa, sizeof(sockaddr_in6));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IP socket address (family ", sa->sa_family, ")"));
  }
  return addr;
}

uint16_t SocketAddr::port() const {
  return ntohs(is_ipv6() ? storage_.v6.sin6_port : storage_.v4.sin_port);
}

std::string SocketAddr::ToString() const {
  char host[INET6_ADDRSTRLEN];
  if (is_ipv6()) {
    inet_ntop(AF_INET6, &storage_.v6.sin6_addr, host, sizeof host);
    return absl::StrCat("[", host, "]:", port());
  }
  inet_ntop(AF_INET, &storage_.v4.sin_addr, host, sizeof host);
  return absl::StrCat(host, ":", port());
}

bool operator==(const SocketAddr& a, const SocketAddr& b) {
  if (a.family() != b.family() || a.port() != b.port()) return false;
  if (a.is_ipv6()) {
    return std::memcmp(&a.storage_.v6.sin6_addr, &b.storage_.v6.sin6_addr,
                       sizeof(in6_addr)) == 0;
  }
  return a.storage_.v4.sin_addr.s_addr == b.storage_.v4.sin_addr.s_addr;
}

}  // namespace weft::net
