#include "examples/mini_redis/glob.h"

#include <cstddef>
#include <utility>

namespace weft::mini_redis {
namespace {

// Whether the set that starts after a '[' at pattern[p] holds `c`; p ends
// on the set's ']' (or past the pattern's end, if it has none).
bool InSet(std::string_view pattern, size_t& p, unsigned char c) {
  bool negate = false;
  if (p < pattern.size() && pattern[p] == '^') {
    negate = true;
    ++p;
  }
  bool found = false;
  for (; p < pattern.size() && pattern[p] != ']'; ++p) {
    if (pattern[p] == '\\' && p + 1 < pattern.size()) {
      ++p;
      if (static_cast<unsigned char>(pattern[p]) == c) found = true;
    } else if (p + 2 < pattern.size() && pattern[p + 1] == '-' &&
               pattern[p + 2] != ']') {
      unsigned char lo = pattern[p], hi = pattern[p + 2];
      if (lo > hi) std::swap(lo, hi);
      if (c >= lo && c <= hi) found = true;
      p += 2;
    } else if (static_cast<unsigned char>(pattern[p]) == c) {
      found = true;
    }
  }
  return found != negate;
}

}  // namespace

// Iterative, with one backtrack point: the last '*' seen and where in the
// text it was last tried to end. A later mismatch retries with that star
// taking one more byte, so the cost is O(pattern x text) at worst, never
// exponential (redis' recursive matcher needed a nesting limit for that).
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star = ++p;
        star_text = t;
        continue;
      }
      size_t next = p + 1;
      bool match;
      if (pc == '?') {
        match = true;
      } else if (pc == '[') {
        match = InSet(pattern, next, text[t]);
        if (next < pattern.size()) ++next;  // past the ']'
      } else if (pc == '\\' && p + 1 < pattern.size()) {
        match = pattern[p + 1] == text[t];
        next = p + 2;
      } else {
        match = pc == text[t];
      }
      if (match) {
        p = next;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star;  // the last star takes one more byte
    t = ++star_text;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace weft::mini_redis
