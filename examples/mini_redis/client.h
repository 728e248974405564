// Client: talks to a mini-redis (or a redis) server (tokio's mini-redis
// clients/client.rs). The CLI (cli.cc) is built on it.
//
//   absl::StatusOr<Client> client = co_await Client::Connect("127.0.0.1:6379");
//   CO_RETURN_IF_ERROR(co_await client->Set("hello", "world"));
//   absl::StatusOr<std::optional<std::string>> v = co_await
//   client->Get("hello");
//
//   absl::StatusOr<Subscriber> sub =
//       co_await Subscribe(*std::move(client), "news", "sport");
//   absl::StatusOr<std::optional<Message>> m = co_await sub->NextMessage();
//
// One request at a time: each call sends its command and reads its reply.
// Errors: the connection's ("read frame 127.0.0.1:6379: ..."), or the
// server's error reply as an Unknown status naming the command and the
// server ("INCR 127.0.0.1:6379: ERR value is not an integer or out of
// range"). Arguments are copied into the request
// before the call returns, so temporaries may be passed.
//
// Lists of keys or channels are variadic (Del("a", "b")), or a span for a
// list built at run time, never a braced list: g++ 12 cannot compile a
// braced list inside a co_await expression ("array used as initializer"),
// and that is where a client's calls are written.
#ifndef WEFT_EXAMPLES_MINI_REDIS_CLIENT_H_
#define WEFT_EXAMPLES_MINI_REDIS_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "examples/mini_redis/frame.h"
#include "examples/mini_redis/message.h"
#include "examples/mini_redis/resp_codec.h"
#include "net/framed.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::mini_redis {

class Client;
class Subscriber;

// Turns `client` into a subscriber of `channels` (at least one).
Task<absl::StatusOr<Subscriber>> Subscribe(
    Client client, std::span<const std::string> channels);
template <class... More>
Task<absl::StatusOr<Subscriber>> Subscribe(Client client,
                                           std::string_view channel,
                                           const More&... more);

class Client {
 public:
  static Task<absl::StatusOr<Client>> Connect(std::string_view addr);

  // "PONG", or `message` echoed back.
  Task<absl::StatusOr<std::string>> Ping(
      std::optional<std::string_view> message = std::nullopt);
  // The value, or nullopt if there is no such key.
  Task<absl::StatusOr<std::optional<std::string>>> Get(std::string_view key);
  Task<absl::Status> Set(std::string_view key, std::string_view value);
  // SET with PX: the key is gone `ttl` from now.
  Task<absl::Status> SetExpires(std::string_view key, std::string_view value,
                                std::chrono::milliseconds ttl);
  // How many of the keys there were to remove.
  template <class... More>
  Task<absl::StatusOr<int64_t>> Del(std::string_view key, const More&... more) {
    return Del(CommandOf({"DEL", key, std::string_view(more)...}));
  }
  // The value after adding 1.
  Task<absl::StatusOr<int64_t>> Incr(std::string_view key);
  // How many subscribers received it.
  Task<absl::StatusOr<int64_t>> Publish(std::string_view channel,
                                        std::string_view message);
  // Any command; the reply as it came, error replies included.
  template <class... Words>
  Task<absl::StatusOr<Frame>> Execute(std::string_view command,
                                      const Words&... words) {
    return Request(CommandOf({command, std::string_view(words)...}));
  }
  Task<absl::StatusOr<Frame>> Execute(std::span<const std::string> words);

 private:
  friend class Subscriber;
  using Framed = io::Framed<net::TcpStream, RespCodec>;
  explicit Client(Framed framed) : framed_(std::move(framed)) {}

  // A command: an array of bulk strings.
  static Frame CommandOf(std::initializer_list<std::string_view> words);
  static Task<absl::StatusOr<Client>> ConnectTo(std::string addr);
  Task<absl::StatusOr<Frame>> Request(Frame command);
  // The command's name and the server's address, for errors: "GET
  // 127.0.0.1:6379".
  std::string Describe(const Frame& command);
  // Request, then the reply converted (nullopt: a reply it did not expect).
  template <class T>
  Task<absl::StatusOr<T>> Call(Frame command,
                               std::optional<T> (*convert)(Frame&));
  Task<absl::StatusOr<int64_t>> Del(Frame command);

  Framed framed_;
};

// A client that has subscribed: it receives messages (tokio's
// clients::Subscriber). Made by Subscribe() below, from a Client.
class Subscriber {
 public:
  // The next message published to a subscribed channel; nullopt once the
  // server has closed the connection.
  Task<absl::StatusOr<std::optional<Message>>> NextMessage();
  template <class... More>
  Task<absl::Status> Subscribe(std::string_view channel, const More&... more) {
    return Change("subscribe", {std::string(channel),
                                std::string(std::string_view(more))...});
  }
  // Leaves the channels given (none given: all of them).
  template <class... Channels>
  Task<absl::Status> Unsubscribe(const Channels&... channels) {
    return Change("unsubscribe", {std::string(std::string_view(channels))...});
  }
  const std::vector<std::string>& channels() const { return channels_; }

 private:
  friend Task<absl::StatusOr<Subscriber>> Subscribe(
      Client client, std::span<const std::string> channels);
  static Task<absl::StatusOr<Subscriber>> Start(
      Client client, std::vector<std::string> channels);
  explicit Subscriber(Client::Framed framed) : framed_(std::move(framed)) {}

  // `verb` is a literal: "subscribe" or "unsubscribe".
  Task<absl::Status> Change(std::string_view verb,
                            std::vector<std::string> channels);

  Client::Framed framed_;
  std::vector<std::string> channels_;
  std::deque<Message> early_;  // messages read while awaiting confirmations
};

template <class... More>
Task<absl::StatusOr<Subscriber>> Subscribe(Client client,
                                           std::string_view channel,
                                           const More&... more) {
  const std::string channels[] = {std::string(channel),
                                  std::string(std::string_view(more))...};
  return Subscribe(std::move(client), std::span<const std::string>(channels));
}

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_CLIENT_H_
