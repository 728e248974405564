// Text helpers for commands, which arrive as std::string_view. Debian's
// abseil (20220623) has its own absl::string_view, not std's, so neither
// its string functions nor its maps' lookups take a std::string_view: Sv()
// makes one view the other, StringMap looks up by std::string_view, and
// the functions below compare, lower-case and sanitize without abseil.
#ifndef WEFT_EXAMPLES_MINI_REDIS_TEXT_H_
#define WEFT_EXAMPLES_MINI_REDIS_TEXT_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace weft::mini_redis {

inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// A map from std::string that is looked up by std::string_view with no
// copy: the keyspace, the channels, the subscriptions.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return absl::Hash<absl::string_view>{}(Sv(s));
  }
};
template <class V>
using StringMap =
    absl::flat_hash_map<std::string, V, StringHash, std::equal_to<>>;

// ASCII letters compared without regard to case, as redis compares names.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(a[i]) != absl::ascii_tolower(b[i])) return false;
  }
  return true;
}

// Text for an error reply, which must stay on one line: a client's bytes
// in it lose CR and LF (as redis' addReplyErrorFormat does).
inline std::string OneLine(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return line;
}

inline std::string ToLower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = absl::ascii_tolower(c);
  return lower;
}

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_TEXT_H_
