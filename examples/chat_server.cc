// How the chat works: one broadcast channel is the room. Each client's task
// owns its connection, framed as lines, and a receiver of the room; it
// waits in a Select for whichever comes first, a line from its client (it
// sends it to the room) or a line from the room (it writes it to its
// client, unless the client wrote it). No lock, no map of clients: the
// broadcast channel is the shared state, as the tutorial's "Channels"
// chapter suggests.
#include "examples/chat_server.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "net/accept_with_backoff.h"
#include "net/framed.h"
#include "net/lines_codec.h"
#include "net/socket_addr.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::examples {
namespace {

using namespace std::string_view_literals;

// What goes through the room: a line, and who it is from (so that the
// sender's own task does not echo it back).
struct ChatLine {
  uint64_t from;
  std::string text;
};

// How many lines the room keeps for a client that is slow to take them;
// one further behind is told how many it missed.
constexpr size_t kRoomBacklog = 256;

using Lines = io::Framed<net::TcpStream, io::LinesCodec>;

Task<> Client(net::TcpStream stream, net::SocketAddr peer,
              broadcast::Sender<ChatLine> room, uint64_t id) {
  Lines lines(std::move(stream), io::LinesCodec(kChatMaxLine));
  if (!(co_await lines.Send("Please enter your username:"sv)).ok()) co_return;
  std::string name;
  absl::StatusOr<bool> named = co_await lines.Next(name);
  if (!named.ok() || !*named) co_return;  // gone before saying who it is
  if (name.empty()) name = peer.ToString();

  // In the room from here on: subscribed before the announcement, so the
  // welcome is the first line it is sure to be followed by the room's.
  broadcast::Receiver<ChatLine> inbox = room.Subscribe();
  // The room outlives every connection: this receiver keeps it open.
  room.Send(ChatLine{id, absl::StrCat(name, " has joined the chat")})
      .IgnoreError();
  if (!(co_await lines.Send(absl::StrCat("Welcome, ", name, "!"))).ok()) {
    co_return;
  }

  std::string line;
  for (;;) {
    auto event = co_await Select(lines.Next(line), inbox.Recv());
    if (event.index() == 0) {  // the client said something, or went
      absl::StatusOr<bool> got = std::get<0>(std::move(event));
      if (!got.ok() &&
          got.status().code() == absl::StatusCode::kResourceExhausted) {
        // Too long: the codec skips the rest of it; the client may go on.
        if (!(co_await lines.Send(absl::StrCat("(your line was longer than ",
                                               kChatMaxLine,
                                               " bytes; nobody saw it)")))
                 .ok()) {
          break;
        }
        continue;
      }
      if (!got.ok() || !*got) break;  // an error, or EOF
      room.Send(ChatLine{id, absl::StrCat(name, ": ", line)}).IgnoreError();
    } else {  // the room said something
      broadcast::RecvResult<ChatLine> heard = std::get<1>(std::move(event));
      std::string out;
      if (heard.lagged()) {
        out = absl::StrCat("(you missed ", heard.skipped(), " lines)");
      } else if (heard.ok() && heard.value().from != id) {
        out = std::move(heard).value().text;
      }
      if (heard.closed()) break;
      if (!out.empty() && !(co_await lines.Send(out)).ok()) break;
    }
  }
  room.Send(ChatLine{id, absl::StrCat(name, " has left the chat")})
      .IgnoreError();
}

}  // namespace

Task<absl::Status> ServeChat(net::TcpListener& listener) {
  auto [room, unused] = broadcast::Channel<ChatLine>(kRoomBacklog);
  uint64_t next_id = 0;
  for (;;) {
    auto accepted = co_await net::AcceptWithBackoff(listener);
    if (!accepted.ok()) co_return accepted.status();
    auto [stream, peer] = *std::move(accepted);
    Spawn(Client(std::move(stream), peer, room, next_id++));
  }
}

}  // namespace weft::examples
