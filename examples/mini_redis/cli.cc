// mini-redis' command line client (tokio's mini-redis bin/cli.rs), on the
// client library (client.h). It prints replies as redis-cli does.
//
//   tools/bazel run //examples/mini_redis:cli -- ping [MESSAGE]
//   ... -- get KEY            ... -- set KEY VALUE [--expires_ms=N]
//   ... -- del KEY...         ... -- incr KEY
//   ... -- publish CHANNEL MESSAGE
//   ... -- subscribe CHANNEL...   (prints messages until Ctrl-C)
//   --addr=HOST:PORT picks the server (default 127.0.0.1:6379).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "examples/mini_redis/client.h"
#include "runtime/weft.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:6379", "the server's address");
ABSL_FLAG(int64_t, expires_ms, 0, "set: the key expires after this long");

namespace {

using weft::Task;
using weft::mini_redis::Client;

std::string Quoted(const std::string& value) {
  return absl::StrCat("\"", value, "\"");
}

// Runs `args` (the command and its words); the text to print, or the error.
Task<absl::StatusOr<std::string>> Run(std::vector<std::string> args) {
  absl::StatusOr<Client> client =
      co_await Client::Connect(absl::GetFlag(FLAGS_addr));
  if (!client.ok()) co_return client.status();
  const std::string& command = args[0];
  const size_t n = args.size();
  if (command == "ping" && n <= 2) {
    absl::StatusOr<std::string> pong = std::string();
    if (n == 2) {
      pong = co_await client->Ping(args[1]);
    } else {
      pong = co_await client->Ping();
    }
    if (!pong.ok()) co_return pong.status();
    co_return n == 2 ? Quoted(*pong) : *pong;
  }
  if (command == "get" && n == 2) {
    absl::StatusOr<std::optional<std::string>> value =
        co_await client->Get(args[1]);
    if (!value.ok()) co_return value.status();
    co_return *value ? Quoted(**value) : std::string("(nil)");
  }
  if (command == "set" && n == 3) {
    const int64_t ms = absl::GetFlag(FLAGS_expires_ms);
    absl::Status set;
    if (ms > 0) {
      set = co_await client->SetExpires(args[1], args[2],
                                        std::chrono::milliseconds(ms));
    } else {
      set = co_await client->Set(args[1], args[2]);
    }
    if (!set.ok()) co_return set;
    co_return std::string("OK");
  }
  if ((command == "del" && n >= 2) || (command == "incr" && n == 2) ||
      (command == "publish" && n == 3)) {
    absl::StatusOr<weft::mini_redis::Frame> reply = co_await client->Execute(
        std::span<const std::string>(args.data(), args.size()));
    if (!reply.ok()) co_return reply.status();
    if (reply->kind == weft::mini_redis::Frame::Kind::kError) {
      co_return absl::UnknownError(reply->text);
    }
    co_return absl::StrCat("(integer) ", reply->integer);
  }
  if (command == "subscribe" && n >= 2) {
    absl::StatusOr<weft::mini_redis::Subscriber> subscriber =
        co_await weft::mini_redis::Subscribe(
            *std::move(client),
            std::span<const std::string>(args.data() + 1, n - 1));
    if (!subscriber.ok()) co_return subscriber.status();
    std::printf("subscribed to %zu channel%s; Ctrl-C to stop\n",
                subscriber->channels().size(),
                subscriber->channels().size() == 1 ? "" : "s");
    std::fflush(stdout);
    for (;;) {
      absl::StatusOr<std::optional<weft::mini_redis::Message>> message =
          co_await subscriber->NextMessage();
      if (!message.ok()) co_return message.status();
      if (!*message)
        co_return std::string("(the server closed the connection)");
      std::printf("%s: %s\n", (*message)->channel.c_str(),
                  (*message)->payload.c_str());
      std::fflush(stdout);
    }
  }
  co_return absl::InvalidArgumentError(absl::StrCat(
      "unknown command or wrong arguments: ", command, " (try --help)"));
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mini-redis client: cli [--addr=HOST:PORT] COMMAND [ARGS...]\n"
      "  ping [MESSAGE] | get KEY | set KEY VALUE [--expires_ms=N] |\n"
      "  del KEY... | incr KEY | publish CHANNEL MESSAGE | subscribe "
      "CHANNEL...");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::fprintf(stderr, "%s\n", absl::ProgramUsageMessage().data());
    return 2;
  }
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  weft::Runtime runtime;
  absl::StatusOr<std::string> result = runtime.BlockOn(Run(std::move(args)));
  if (!result.ok()) {
    std::fprintf(stderr, "(error) %s\n",
                 std::string(result.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", result->c_str());
  return 0;
}
