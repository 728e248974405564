// UnixAddr: where a Unix socket lives: a path in the file system, a Linux
// abstract name (no file; gone with the last socket bound to it), or
// unnamed (a socketpair's ends, a client that never bound).
//
//   UnixAddr::Path("/run/app.sock")      "/run/app.sock"
//   UnixAddr::Abstract("app")            "@app"
//
// A path or name longer than sun_path holds (107 bytes: a path's NUL
// terminator, or a name's leading NUL, takes the 108th) is InvalidArgument,
// quoting it: never cut.
#ifndef WEFT_NET_UNIX_ADDR_H_
#define WEFT_NET_UNIX_ADDR_H_

#include <sys/socket.h>
#include <sys/un.h>

#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace weft::net {

class UnixAddr {
 public:
  // Unnamed.
  UnixAddr();
  static absl::StatusOr<UnixAddr> Path(std::string_view path);
  static absl::StatusOr<UnixAddr> Abstract(std::string_view name);
  // From what accept/getsockname/recvfrom filled in.
  static UnixAddr FromSockaddr(const sockaddr* addr, socklen_t len);

  bool is_unnamed() const { return len_ <= offsetof(sockaddr_un, sun_path); }
  bool is_abstract() const {
    return !is_unnamed() && storage_.sun_path[0] == '\0';
  }
  // The path, if it is one.
  std::string_view path() const;

  const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&storage_);
  }
  socklen_t sockaddr_len() const { return len_; }

  // The path; "@name" for an abstract name; "(unnamed)".
  std::string ToString() const;
  friend bool operator==(const UnixAddr& a, const UnixAddr& b);
  friend std::ostream& operator<<(std::ostream& os, const UnixAddr& a) {
    return os << a.ToString();
  }

 private:
  sockaddr_un storage_;
  socklen_t len_;
};

}  // namespace weft::net

#endif  // WEFT_NET_UNIX_ADDR_H_
