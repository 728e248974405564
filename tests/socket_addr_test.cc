// SocketAddr: parse and format both families; bad text is a clear error.
#include "net/socket_addr.h"

#include <string>

#include "gtest/gtest.h"

namespace weft::net {
namespace {

TEST(SocketAddr, ParsesAndFormatsIpv4) {
  auto a = SocketAddr::Parse("127.0.0.1:8080");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FALSE(a->is_ipv6());
  EXPECT_EQ(a->port(), 8080);
  EXPECT_EQ(a->ToString(), "127.0.0.1:8080");
}

TEST(SocketAddr, ParsesAndFormatsIpv6) {
  auto a = SocketAddr::Parse("[::1]:8080");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->is_ipv6());
  EXPECT_EQ(a->port(), 8080);
  EXPECT_EQ(a->ToString(), "[::1]:8080");
  EXPECT_EQ(SocketAddr::Parse("[2001:db8:0:0::1]:0")->ToString(),
            "[2001:db8::1]:0");
}

TEST(SocketAddr, RoundTrips) {
  for (const char* text :
       {"0.0.0.0:0", "10.1.2.3:65535", "[::]:1", "[fe80::1:2]:443"}) {
    auto a = SocketAddr::Parse(text);
    ASSERT_TRUE(a.ok()) << text;
    EXPECT_EQ(a->ToString(), text);
    EXPECT_EQ(*SocketAddr::Parse(a->ToString()), *a);
  }
}

TEST(SocketAddr, BadTextIsInvalidArgumentQuotingTheInput) {
  for (const char* text :
       {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
        "127.0.0.1:8o", "localhost:80", "1.2.3:80", "[::1]", "[::1:80",
        "::1:80", "[127.0.0.1]:80", "127.0.0.1:000080"}) {
    auto a = SocketAddr::Parse(text);
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_TRUE(absl::IsInvalidArgument(a.status()));
    EXPECT_NE(a.status().message().find(std::string("\"") + text + "\""),
              std::string::npos)
        << a.status();
  }
}

}  // namespace
}  // namespace weft::net
