// Helpers for the TCP tests: a listener on a free loopback port, and
// deterministic payloads.
#ifndef WEFT_TESTS_NET_TEST_UTIL_H_
#define WEFT_TESTS_NET_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "runtime/task.h"

namespace weft::testing {

inline Task<net::TcpListener> BindLoopback() {
  auto listener = co_await net::TcpListener::Bind("127.0.0.1:0");
  EXPECT_TRUE(listener.ok()) << listener.status();
  net::TcpListener out = *std::move(listener);
  co_return out;
}

// `size` bytes that differ per `seed`, so a misrouted byte is noticed.
inline std::string Payload(uint32_t seed, size_t size) {
  std::string s(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

}  // namespace weft::testing

#endif  // WEFT_TESTS_NET_TEST_UTIL_H_
