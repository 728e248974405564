// Glob patterns as redis matches them for PSUBSCRIBE (its stringmatchlen):
//
//   *        any run of bytes, also none      h*llo   hllo, heeeello
//   ?        any one byte                     h?llo   hello, hallo
//   [ae]     one of those bytes               h[ae]llo  hello, hallo
//   [^e]     any byte but those               h[^e]llo  hallo, not hello
//   [a-c]    one in the range                 h[a-c]llo hallo, hbllo
//   \x       x itself (\* matches a '*')
//
// A '[' with no closing ']' takes the rest of the pattern as its set, as
// redis does. Matching is byte-wise and case-sensitive.
#ifndef WEFT_EXAMPLES_MINI_REDIS_GLOB_H_
#define WEFT_EXAMPLES_MINI_REDIS_GLOB_H_

#include <string_view>

namespace weft::mini_redis {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_GLOB_H_
