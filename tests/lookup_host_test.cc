// LookupHost and host names in Connect/Bind (getaddrinfo on the pool).
#include "net/lookup_host.h"

#include "gtest/gtest.h"
#include "net/tcp_listener.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft {
namespace {

TEST(LookupHost, ResolvesLocalhost) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto addrs = co_await net::LookupHost("localhost:8080");
    EXPECT_TRUE(addrs.ok()) << addrs.status();
    EXPECT_FALSE(addrs->empty());
    for (const auto& a : *addrs) {
      EXPECT_EQ(a.port(), 8080);
      EXPECT_TRUE(a.ToString() == "127.0.0.1:8080" ||
                  a.ToString() == "[::1]:8080")
          << a;
    }
  });
}

TEST(LookupHost, IpLiteralsNeedNoLookup) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto addrs = co_await net::LookupHost("[::1]:9");
    EXPECT_TRUE(addrs.ok());
    EXPECT_EQ(addrs->size(), 1u);
    // No pool thread was needed.
    EXPECT_EQ(internal::CurrentExecutor("test").blocking().peak_threads(), 0u);
  });
}

TEST(LookupHost, BadInputIsAClearError) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto no_port = co_await net::LookupHost("localhost");
    EXPECT_TRUE(absl::IsInvalidArgument(no_port.status()));
    EXPECT_NE(no_port.status().message().find("\"localhost\""),
              std::string::npos);
    auto unknown = co_await net::LookupHost("no-such-host.invalid:80");
    EXPECT_FALSE(unknown.ok());
    EXPECT_NE(unknown.status().message().find("lookup no-such-host.invalid"),
              std::string::npos)
        << unknown.status();
  });
}

TEST(LookupHost, ConnectAndBindAcceptHostNames) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto listener = co_await net::TcpListener::Bind("localhost:0");
    EXPECT_TRUE(listener.ok()) << listener.status();
    const std::string target =
        "localhost:" + std::to_string(listener->LocalAddr().port());
    auto client = Spawn([target]() { return net::TcpStream::Connect(target); });
    auto accepted = co_await listener->Accept();
    EXPECT_TRUE(accepted.ok());
    auto stream = *(co_await client);
    EXPECT_TRUE(stream.ok()) << stream.status();
  });
}

}  // namespace
}  // namespace weft
