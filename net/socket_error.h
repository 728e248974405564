// SocketError: how every socket error in net/ reads, "<operation>
// <address>: <strerror>" with the errno's absl status code ("connect
// 127.0.0.1:9: Connection refused", "bind /run/app.sock: Address already
// in use"), for either kind of address (SocketAddr, UnixAddr).
#ifndef WEFT_NET_SOCKET_ERROR_H_
#define WEFT_NET_SOCKET_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace weft::net {

template <class Addr>
absl::Status SocketError(const char* operation, const Addr& addr, int err) {
  return absl::ErrnoToStatus(err,
                             absl::StrCat(operation, " ", addr.ToString()));
}

}  // namespace weft::net

#endif  // WEFT_NET_SOCKET_ERROR_H_
