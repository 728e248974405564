// ConnectOn: connect(2) on a registered non-blocking socket, waiting out a
// handshake in progress (EINPROGRESS) until the socket turns writable; 0,
// or the errno it failed with. TcpStream and UnixStream connect through it.
// Any other errno fails at once (as in tokio: a Unix listener whose backlog
// is full answers EAGAIN, which is that error, not a wait).
#ifndef WEFT_NET_CONNECT_H_
#define WEFT_NET_CONNECT_H_

#include <sys/socket.h>

#include "runtime/io/async_fd.h"
#include "runtime/task/task.h"

namespace weft::net::internal {

Task<int> ConnectOn(AsyncFd& io, const sockaddr* addr, socklen_t len);

}  // namespace weft::net::internal

#endif  // WEFT_NET_CONNECT_H_
