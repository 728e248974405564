// SocketPairFds: two connected Unix sockets of `type` (SOCK_STREAM or
// SOCK_DGRAM), non-blocking, close-on-exec and registered with the current
// runtime: what UnixStream::Pair and UnixDatagram::Pair are made of.
#ifndef WEFT_NET_SOCKET_PAIR_H_
#define WEFT_NET_SOCKET_PAIR_H_

#include <utility>

#include "absl/status/statusor.h"
#include "runtime/io/async_fd.h"

namespace weft::net::internal {

absl::StatusOr<std::pair<AsyncFd, AsyncFd>> SocketPairFds(int type);

}  // namespace weft::net::internal

#endif  // WEFT_NET_SOCKET_PAIR_H_
