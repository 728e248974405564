#include "net/unix_addr.h"

#include <cstddef>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace weft::net {
namespace {

constexpr size_t kPathOffset = offsetof(sockaddr_un, sun_path);
constexpr size_t kSunPath = sizeof(sockaddr_un::sun_path);

}  // namespace

UnixAddr::UnixAddr() : storage_{}, len_(kPathOffset) {
  storage_.sun_family = AF_UNIX;
}

absl::StatusOr<UnixAddr> UnixAddr::Path(std::string_view path) {
  if (path.empty() || path.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unix address '", absl::string_view(path.data(), path.size()),
        "': a path is not empty and has no NUL byte"));
  }
  if (path.size() >= kSunPath) {  // room for the terminating NUL
    return absl::InvalidArgumentError(absl::StrCat(
        "unix address '", absl::string_view(path.data(), path.size()),
        "': ", path.size(), " bytes, longer than sun_path's ", kSunPath - 1));
  }
  UnixAddr addr;
  std::memcpy(addr.storage_.sun_path, path.data(), path.size());
  addr.storage_.sun_path[path.size()] = '\0';
  addr.len_ = static_cast<socklen_t>(kPathOffset + path.size() + 1);
  return addr;
}

absl::StatusOr<UnixAddr> UnixAddr::Abstract(std::string_view name) {
  if (name.size() + 1 > kSunPath) {  // after the leading NUL
    return absl::InvalidArgumentError(absl::StrCat(
        "unix address '@", absl::string_view(name.data(), name.size()), "': ",
        name.size(), " bytes, longer than an abstract name's ", kSunPath - 1));
  }
  UnixAddr addr;
  addr.storage_.sun_path[0] = '\0';
  std::memcpy(addr.storage_.sun_path + 1, name.data(), name.size());
  addr.len_ = static_cast<socklen_t>(kPathOffset + 1 + name.size());
  return addr;
}

UnixAddr UnixAddr::FromSockaddr(const sockaddr* addr, socklen_t len) {
  UnixAddr out;
  if (addr == nullptr || len <= kPathOffset || addr->sa_family != AF_UNIX) {
    return out;  // unnamed
  }
  const size_t copy = std::min<size_t>(len, sizeof(sockaddr_un));
  std::memcpy(&out.storage_, addr, copy);
  out.len_ = static_cast<socklen_t>(copy);
  return out;
}

std::string_view UnixAddr::path() const {
  if (is_unnamed() || is_abstract()) return {};
  const size_t max = len_ - kPathOffset;
  return std::string_view(storage_.sun_path, strnlen(storage_.sun_path, max));
}

std::string UnixAddr::ToString() const {
  if (is_unnamed()) return "(unnamed)";
  if (is_abstract()) {
    return absl::StrCat(
        "@", absl::string_view(storage_.sun_path + 1, len_ - kPathOffset - 1));
  }
  return std::string(path());
}

bool operator==(const UnixAddr& a, const UnixAddr& b) {
  return a.len_ == b.len_ &&
         std::memcmp(a.storage_.sun_path, b.storage_.sun_path,
                     a.len_ - kPathOffset) == 0;
}

}  // namespace weft::net
