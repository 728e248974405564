// The channels lesson (tokio's tutorial, "Channels"): share a resource by
// sending it messages, not by locking it.
//
// Run it:  tools/bazel run //examples:channels
//
// One manager task owns the state (here a key-value map; in tokio's
// tutorial, a connection). Client tasks send it commands over an mpsc
// channel; each command carries a oneshot sender for its reply. The mpsc's
// capacity (32) is the backpressure: a client that gets too far ahead
// waits in Send. When every client is done and has dropped its sender, the
// manager's Recv returns nullopt and the manager ends.
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "runtime/weft.h"

namespace {

using weft::SendResult;
using weft::Spawn;
using weft::Task;
namespace mpsc = weft::mpsc;
namespace oneshot = weft::oneshot;

// Replies carry the value found (Get) or replaced (Set), if any.
using Reply = oneshot::Sender<std::optional<std::string>>;
struct Get {
  std::string key;
  Reply reply;
};
struct Set {
  std::string key;
  std::string value;
  Reply reply;
};
using Command = std::variant<Get, Set>;

// The only task that touches `store`: no lock needed.
Task<int> Manager(mpsc::Receiver<Command> commands) {
  std::map<std::string, std::string> store;
  int handled = 0;
  while (std::optional<Command> command = co_await commands.Recv()) {
    ++handled;
    if (Get* get = std::get_if<Get>(&*command)) {
      auto found = store.find(get->key);
      // A client that gave up waiting is no error of the manager's.
      get->reply
          .Send(found == store.end()
                    ? std::nullopt
                    : std::optional<std::string>(found->second))
          .IgnoreError();
    } else {
      Set& set = std::get<Set>(*command);
      std::optional<std::string> previous;
      if (auto found = store.find(set.key); found != store.end()) {
        previous = std::move(found->second);
      }
      store[set.key] = std::move(set.value);
      set.reply.Send(std::move(previous)).IgnoreError();
    }
  }
  co_return handled;  // every sender is gone and the queue is drained
}

// Sends a command built around a fresh reply channel; returns the reply.
template <class MakeCommand>
Task<std::optional<std::string>> Ask(mpsc::Sender<Command>& manager,
                                     MakeCommand make) {
  auto [reply_tx, reply_rx] = oneshot::Channel<std::optional<std::string>>();
  SendResult<Command> sent = co_await manager.Send(make(std::move(reply_tx)));
  if (!sent.ok()) co_return std::nullopt;  // the manager is gone
  std::optional<std::optional<std::string>> reply = co_await reply_rx;
  co_return reply ? *std::move(reply) : std::nullopt;
}

const char* Show(const std::optional<std::string>& value) {
  return value ? value->c_str() : "(nothing)";
}

Task<> Setter(mpsc::Sender<Command> manager) {
  std::optional<std::string> previous = co_await Ask(manager, [](Reply r) {
    return Command(Set{"foo", "bar", std::move(r)});
  });
  std::printf("set foo = bar (was %s)\n", Show(previous));
}

Task<> Getter(mpsc::Sender<Command> manager) {
  std::optional<std::string> value = co_await Ask(manager, [](Reply r) {
    return Command(Get{"foo", std::move(r)});
  });
  std::printf("get foo: %s\n", Show(value));
}

Task<int> Main() {
  auto [tx, rx] = mpsc::Channel<Command>(32);
  auto manager = Spawn(Manager(std::move(rx)));
  // The getter starts once the setter is done, so the output is fixed.
  co_await Spawn(Setter(tx));
  co_await Spawn(Getter(std::move(tx)));  // the last sender goes with it
  const int handled = *(co_await manager);
  std::printf("manager: %d commands, then every sender was gone\n", handled);
  co_return 0;
}

}  // namespace

int main() {
  weft::Runtime runtime;
  return runtime.BlockOn(Main());
}
