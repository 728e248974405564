// LookupHost("localhost:8080"): resolve a host name to socket addresses.
//
// getaddrinfo blocks (it may ask a DNS server), so it runs on the blocking
// pool (SpawnBlocking); the calling task parks meanwhile. An IP literal is
// returned at once, with no lookup. Ports are numeric.
#ifndef WEFT_NET_LOOKUP_HOST_H_
#define WEFT_NET_LOOKUP_HOST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/socket_addr.h"
#include "runtime/task.h"

namespace weft::net {

// "host:port" or "[v6]:port". Errors: InvalidArgument for malformed text
// (quoting it); NotFound / Unavailable from the resolver, naming the host.
Task<absl::StatusOr<std::vector<SocketAddr>>> LookupHost(std::string host_port);

}  // namespace weft::net

#endif  // WEFT_NET_LOOKUP_HOST_H_
