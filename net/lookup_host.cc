#include "net/lookup_host.h"

#include <netdb.h>
#include <sys/socket.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "runtime/sched/spawn_blocking.h"

namespace weft::net {
namespace {

struct HostPort {
  std::string host;
  std::string port;
};

absl::StatusOr<HostPort> Split(const std::string& text) {
  const size_t colon = text.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &port) || port > 65535 ||
      text.substr(colon + 1).find_first_not_of("0123456789") !=
          std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid host address \"", text,
                     "\" (expected host:port with a numeric port)"));
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return HostPort{host, text.substr(colon + 1)};
}

// Runs on a pool thread.
absl::StatusOr<std::vector<SocketAddr>> Resolve(const HostPort& hp) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(hp.host.c_str(), hp.port.c_str(), &hints, &found);
  if (rc != 0) {
    const std::string message =
        absl::StrCat("lookup ", hp.host, ": ", gai_strerror(rc));
    return rc == EAI_NONAME || rc == EAI_NODATA
               ? absl::NotFoundError(message)
               : absl::UnavailableError(message);
  }
  std::vector<SocketAddr> addrs;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    auto addr = SocketAddr::FromSockaddr(ai->ai_addr, ai->ai_addrlen);
    if (addr.ok()) addrs.push_back(*addr);
  }
  freeaddrinfo(found);
  if (addrs.empty()) {
    return absl::NotFoundError(
        absl::StrCat("lookup ", hp.host, ": no IP addresses"));
  }
  return addrs;
}

}  // namespace

Task<absl::StatusOr<std::vector<SocketAddr>>> LookupHost(
    std::string host_port) {
  if (auto literal = SocketAddr::Parse(host_port); literal.ok()) {
    co_return std::vector<SocketAddr>{*literal};
  }
  absl::StatusOr<HostPort> hp = Split(host_port);
  if (!hp.ok()) co_return hp.status();
  // The job is a named local, not a temporary inside the co_await: GCC 12
  // destroys a lambda temporary's by-value captures twice when it sits in a
  // co_await operand and the callee moves from it (double free under ASan;
  // clang is correct). docs/design-decisions.md has the reduction.
  auto resolve = [hp = *hp] { return Resolve(hp); };
  auto handle = SpawnBlocking(std::move(resolve));
  auto resolved = co_await handle;
  if (!resolved.ok()) {
    co_return absl::CancelledError(
        absl::StrCat("lookup ", hp->host, ": ", resolved.error().ToString()));
  }
  absl::StatusOr<std::vector<SocketAddr>> addrs = *std::move(resolved);
  co_return addrs;
}

}  // namespace weft::net
