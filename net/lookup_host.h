// LookupHost("localhost:8080"): resolve a host name to socket addresses.
//
// getaddrinfo blocks (it may ask a DNS server), so it runs on the blocking
// pool (SpawnBlocking); the calling task parks meanwhile. An IP literal is
// returned at once, with no lookup. Ports are numeric.
#ifndef WEFT_NET_LOOKUP_HOST_H_
#define WEFT_NET_LOOKUP_HOST_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "runtime/task/task.h"

namespace weft::net {

// "host:port" or "[v6]:port". Errors: InvalidArgument for malformed text
// (quoting it); NotFound / Unavailable from the resolver, naming the host.
Task<absl::StatusOr<std::vector<SocketAddr>>> LookupHost(std::string host_port);

// Resolves `host_port` and awaits `attempt(address)` for each address in
// turn (IPv6 and IPv4 for "localhost", say): the first result that is ok,
// else the last error, or the lookup's. What TcpListener::Bind and
// TcpStream::Connect do with a name, as tokio's do.
template <class T, class Attempt>
Task<absl::StatusOr<T>> FirstThatWorks(std::string host_port, Attempt attempt) {
  absl::StatusOr<std::vector<SocketAddr>> addrs =
      co_await LookupHost(host_port);
  if (!addrs.ok()) co_return addrs.status();
  absl::StatusOr<T> result = absl::UnknownError("no address");
  for (const SocketAddr& a : *addrs) {
    result = co_await attempt(a);
    if (result.ok()) break;
  }
  co_return result;
}

}  // namespace weft::net

#endif  // WEFT_NET_LOOKUP_HOST_H_
