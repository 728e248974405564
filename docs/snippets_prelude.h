// The names weft's examples use without declaring them: a request, a
// stream, a handler. docs/snippets_extract.cc puts every example in a
// namespace inside weft_snippets, so each sees these, and may declare its
// own in their place. Declarations only: the examples are compiled, not
// linked or run (//docs:snippets_test).
#ifndef WEFT_DOCS_SNIPPETS_PRELUDE_H_
#define WEFT_DOCS_SNIPPETS_PRELUDE_H_

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/accept.h"
#include "net/accept_with_backoff.h"
#include "net/async_io.h"
#include "net/buf_reader.h"
#include "net/buf_writer.h"
#include "net/buffer_pool.h"
#include "net/byte_buffer.h"
#include "net/codec.h"
#include "net/connect.h"
#include "net/copy.h"
#include "net/datagram_socket.h"
#include "net/duplex.h"
#include "net/framed.h"
#include "net/io_ext.h"
#include "net/io_split.h"
#include "net/length_delimited_codec.h"
#include "net/lines_codec.h"
#include "net/lookup_host.h"
#include "net/socket_addr.h"
#include "net/socket_error.h"
#include "net/socket_pair.h"
#include "net/split.h"
#include "net/stream_socket.h"
#include "net/tcp_listener.h"
#include "net/tcp_socket.h"
#include "net/tcp_stream.h"
#include "net/udp_socket.h"
#include "net/unix_addr.h"
#include "net/unix_datagram.h"
#include "net/unix_stream.h"
#include "runtime/time/timeout.h"
#include "runtime/weft.h"

namespace weft_snippets {

using namespace weft;       // NOLINT: what the examples are written against
using namespace weft::net;  // NOLINT
namespace io = weft::io;
using namespace std::chrono_literals;  // NOLINT

// Types an example handles.
struct Command {};
struct Reply {};
struct Request {};
struct Row {};
struct Config {};
struct User {};
struct Order {};
struct Mailbox {
  std::optional<int> TryTake();
  void SetWaker(Waker waker);
};

// What an example has in hand.
extern TcpListener listener;
extern TcpStream stream;
extern SocketAddr addr;
extern OwnedReadHalf read_half;
extern OwnedWriteHalf write_half;
extern std::string request;
extern std::span<char> buffer;
extern std::vector<Request> requests;
extern std::vector<Row> rows;
extern std::chrono::milliseconds grace;
extern Mailbox mailbox;

// What an example calls.
Task<> Serve(TcpStream stream);
Task<> Echo(TcpStream stream);
Task<int> Work(int i);
Task<> DoWork();
Task<Reply> Handle(Request request);
Task<Reply> Fetch(const std::string& request);
void Handle(const std::string& line);
void Handle(const Command& command);
void Handle(std::optional<Command> message);  // nullopt: the channel closed
void Tick();
void Apply(const Command& command);
void Flush();
std::string Format(const Row& row);
Task<Config> LoadConfig();
Task<> Greet(const std::string& name);
Task<> Heartbeat();
Task<> Pump(io::ReadHalf<io::DuplexStream> reader);
Task<User> FetchUser(int id);
Task<std::vector<Order>> FetchOrders(int id);
Task<absl::StatusOr<Config>> ReadConfig(std::string_view path);
Task<int> Main();
std::string ReadFileSync();

}  // namespace weft_snippets

#endif  // WEFT_DOCS_SNIPPETS_PRELUDE_H_
