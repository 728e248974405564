// Helpers for the TCP tests: a listener on a free loopback port, a plain
// blocking client socket, and deterministic payloads.
#ifndef WEFT_TESTS_NET_TEST_UTIL_H_
#define WEFT_TESTS_NET_TEST_UTIL_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "runtime/task/task.h"

namespace weft::testing {

inline Task<net::TcpListener> BindLoopback() {
  auto listener = co_await net::TcpListener::Bind("127.0.0.1:0");
  EXPECT_TRUE(listener.ok()) << listener.status();
  net::TcpListener out = *std::move(listener);
  co_return out;
}

// A blocking socket connected to 127.0.0.1:`port`, for clients that run on
// their own std::thread without weft; -1 if the connect failed. Allocates
// nothing (the allocation-counting test relies on it).
inline int ConnectLoopbackBlocking(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
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
