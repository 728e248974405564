// Every public call is a plain function that builds its request as a Frame
// and hands it to a coroutine: the arguments (often temporaries, string
// literals) are copied before the call returns, never referenced from a
// coroutine frame after their full-expression ended.
#include "examples/mini_redis/client.h"

#include <algorithm>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace weft::mini_redis {
namespace {

using namespace std::string_view_literals;

template <class Words>
Frame ArrayOf(const Words& words) {
  std::vector<Frame> items;
  items.reserve(std::size(words));
  for (const auto& word : words) {
    items.push_back(Frame::Bulk(std::string(word)));
  }
  return Frame::Array(std::move(items));
}

// A reply that is not what `what` (a command and the server's address)
// expects: the server's error reply as an Unknown status with its text,
// anything else as Internal.
absl::Status ReplyError(std::string_view what, const Frame& reply) {
  if (reply.kind == Frame::Kind::kError) {
    return absl::UnknownError(
        absl::StrCat(std::string(what), ": ", reply.text));
  }
  std::ostringstream shown;
  shown << reply;
  return absl::InternalError(
      absl::StrCat(std::string(what), ": unexpected reply ", shown.str()));
}

// The reply converted by `convert`, which says nullopt for a reply it does
// not expect.
template <class T>
Task<absl::StatusOr<T>> Expect(Task<absl::StatusOr<Frame>> request,
                               std::string what,
                               std::optional<T> (*convert)(Frame&)) {
  absl::StatusOr<Frame> reply = co_await std::move(request);
  if (!reply.ok()) co_return reply.status();
  std::optional<T> value = convert(*reply);
  if (!value) co_return ReplyError(what, *reply);
  co_return *std::move(value);
}

std::optional<std::string> Text(Frame& reply) {
  if (reply.kind != Frame::Kind::kSimple && reply.kind != Frame::Kind::kBulk) {
    return std::nullopt;
  }
  return std::move(reply.text);
}

std::optional<std::optional<std::string>> BulkOrNull(Frame& reply) {
  if (reply.kind == Frame::Kind::kNull) return std::optional<std::string>();
  if (reply.kind != Frame::Kind::kBulk) return std::nullopt;
  return std::optional<std::string>(std::move(reply.text));
}

std::optional<int64_t> Integer(Frame& reply) {
  if (reply.kind != Frame::Kind::kInteger) return std::nullopt;
  return reply.integer;
}

std::optional<bool> Ok(Frame& reply) {
  if (reply.kind != Frame::Kind::kSimple || reply.text != "OK") {
    return std::nullopt;
  }
  return true;
}

Task<absl::Status> ExpectOk(Task<absl::StatusOr<Frame>> request,
                            std::string what) {
  absl::StatusOr<bool> ok =
      co_await Expect<bool>(std::move(request), std::move(what), Ok);
  co_return ok.status();
}

// A pub/sub push: ["message", channel, payload], or a confirmation
// [verb, channel, count].
bool IsPush(const Frame& frame, std::string_view verb, size_t size) {
  return frame.kind == Frame::Kind::kArray && frame.array.size() == size &&
         frame.array[0].kind == Frame::Kind::kBulk &&
         frame.array[0].text == verb;
}

}  // namespace

Frame Client::CommandOf(std::initializer_list<std::string_view> words) {
  return ArrayOf(words);
}

Task<absl::StatusOr<Client>> Client::Connect(std::string_view addr) {
  return ConnectTo(std::string(addr));
}

Task<absl::StatusOr<Client>> Client::ConnectTo(std::string addr) {
  absl::StatusOr<net::TcpStream> stream =
      co_await net::TcpStream::Connect(addr);
  if (!stream.ok()) co_return stream.status();
  (void)stream->SetNoDelay(true);
  co_return Client(Framed(*std::move(stream), RespCodec()));
}

Task<absl::StatusOr<Frame>> Client::Request(Frame command) {
  absl::Status sent = co_await framed_.Send(command);
  if (!sent.ok()) co_return sent;
  Frame reply;
  absl::StatusOr<bool> got = co_await framed_.Next(reply);
  if (!got.ok()) co_return got.status();
  if (!*got) {
    co_return absl::UnavailableError(
        absl::StrCat("read frame ", io::StreamName(framed_.inner()),
                     ": the server closed the connection"));
  }
  co_return reply;
}

std::string Client::Describe(const Frame& command) {
  return absl::StrCat(command.array[0].text, " ",
                      io::StreamName(framed_.inner()));
}

template <class T>
Task<absl::StatusOr<T>> Client::Call(Frame command,
                                     std::optional<T> (*convert)(Frame&)) {
  std::string what = Describe(command);
  return Expect<T>(Request(std::move(command)), std::move(what), convert);
}

Task<absl::StatusOr<std::string>> Client::Ping(
    std::optional<std::string_view> message) {
  return Call<std::string>(
      message ? CommandOf({"PING"sv, *message}) : CommandOf({"PING"sv}), Text);
}

Task<absl::StatusOr<std::optional<std::string>>> Client::Get(
    std::string_view key) {
  return Call<std::optional<std::string>>(CommandOf({"GET"sv, key}),
                                          BulkOrNull);
}

Task<absl::Status> Client::Set(std::string_view key, std::string_view value) {
  Frame command = CommandOf({"SET"sv, key, value});
  std::string what = Describe(command);
  return ExpectOk(Request(std::move(command)), std::move(what));
}

Task<absl::Status> Client::SetExpires(std::string_view key,
                                      std::string_view value,
                                      std::chrono::milliseconds ttl) {
  Frame command =
      CommandOf({"SET"sv, key, value, "PX"sv, std::to_string(ttl.count())});
  std::string what = Describe(command);
  return ExpectOk(Request(std::move(command)), std::move(what));
}

Task<absl::StatusOr<int64_t>> Client::Del(Frame command) {
  return Call<int64_t>(std::move(command), Integer);
}

Task<absl::StatusOr<int64_t>> Client::Incr(std::string_view key) {
  return Call<int64_t>(CommandOf({"INCR"sv, key}), Integer);
}

Task<absl::StatusOr<int64_t>> Client::Publish(std::string_view channel,
                                              std::string_view message) {
  return Call<int64_t>(CommandOf({"PUBLISH"sv, channel, message}), Integer);
}

Task<absl::StatusOr<Frame>> Client::Execute(
    std::span<const std::string> words) {
  return Request(ArrayOf(words));
}

// ---- Subscriber

Task<absl::StatusOr<Subscriber>> Subscribe(
    Client client, std::span<const std::string> channels) {
  return Subscriber::Start(
      std::move(client),
      std::vector<std::string>(channels.begin(), channels.end()));
}

Task<absl::StatusOr<Subscriber>> Subscriber::Start(
    Client client, std::vector<std::string> channels) {
  if (channels.empty()) {
    co_return absl::InvalidArgumentError("subscribe: no channel given");
  }
  Subscriber subscriber(std::move(client.framed_));
  absl::Status subscribed =
      co_await subscriber.Change("subscribe", std::move(channels));
  if (!subscribed.ok()) co_return subscribed;
  co_return std::move(subscriber);
}

// Sends the command, then reads until every channel it named is confirmed
// (for an UNSUBSCRIBE of all: until the count reaches 0). Messages that
// come first are kept for NextMessage, in order.
Task<absl::Status> Subscriber::Change(std::string_view verb,
                                      std::vector<std::string> channels) {
  std::vector<std::string> words = channels;
  words.insert(words.begin(), std::string(verb));
  absl::Status sent = co_await framed_.Send(ArrayOf(words));
  if (!sent.ok()) co_return sent;
  size_t awaited = channels.empty() ? channels_.size() : channels.size();
  if (awaited == 0) awaited = 1;  // [verb, nil, 0]
  Frame frame;
  while (awaited > 0) {
    absl::StatusOr<bool> got = co_await framed_.Next(frame);
    if (!got.ok()) co_return got.status();
    if (!*got) {
      co_return absl::UnavailableError(
          absl::StrCat(std::string(verb), " ", io::StreamName(framed_.inner()),
                       ": the server closed the connection"));
    }
    if (IsPush(frame, "message", 3)) {
      early_.push_back(Message{std::move(frame.array[1].text),
                               std::move(frame.array[2].text)});
      continue;
    }
    if (!IsPush(frame, verb, 3)) {
      co_return ReplyError(
          absl::StrCat(std::string(verb), " ", io::StreamName(framed_.inner())),
          frame);
    }
    const std::string& channel = frame.array[1].text;
    auto at = std::find(channels_.begin(), channels_.end(), channel);
    if (verb == "subscribe" && at == channels_.end()) {
      channels_.push_back(channel);
    } else if (verb == "unsubscribe" && at != channels_.end()) {
      channels_.erase(at);
    }
    --awaited;
  }
  co_return absl::OkStatus();
}

Task<absl::StatusOr<std::optional<Message>>> Subscriber::NextMessage() {
  if (!early_.empty()) {
    Message first = std::move(early_.front());
    early_.pop_front();
    co_return std::move(first);
  }
  Frame frame;
  {
    absl::StatusOr<bool> got = co_await framed_.Next(frame);
    if (!got.ok()) co_return got.status();
    if (!*got) co_return std::nullopt;
    if (IsPush(frame, "message", 3)) {
      co_return Message{std::move(frame.array[1].text),
                        std::move(frame.array[2].text)};
    }
    co_return ReplyError(
        absl::StrCat("message ", io::StreamName(framed_.inner())), frame);
  }
}

}  // namespace weft::mini_redis
