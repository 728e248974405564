// Connection: one client's socket, with the requests read and not yet run
// and the replies made and not yet written (tokio's mini-redis
// connection.rs). The server's loop (handler.cc) is:
//
//   while (co_await conn.Fill()) {                 // one read
//     while (*conn.NextCommand(args)) Run(args);   // every whole command
//     co_await conn.Flush();                       // all replies: one write
//   }
//
// so a pipelined batch of N commands costs one read and one write, as in
// redis. A command's args are views into the read buffer: valid until the
// next Fill (which drops the bytes they point into). A warm connection
// allocates nothing per command: both buffers keep their size.
//
// Replies are appended to out(). Flush writes from a second buffer,
// `writing_`, swapped with out() when it empties, so replies appended while
// a write waits (a subscriber's messages arrive at any time) never move the
// bytes that write points into. A Flush or Fill cancelled in a Select loses
// nothing: bytes leave `writing_` only as the socket takes them, and enter
// the read buffer only as a read completes.
#ifndef WEFT_EXAMPLES_MINI_REDIS_CONNECTION_H_
#define WEFT_EXAMPLES_MINI_REDIS_CONNECTION_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "examples/mini_redis/resp_codec.h"
#include "net/byte_buffer.h"
#include "net/tcp_stream.h"
#include "runtime/weft.h"

namespace weft::mini_redis {

class Connection {
 public:
  Connection(net::TcpStream stream, RespCodec::Limits limits)
      : stream_(std::move(stream)), limits_(limits) {}

  // The next whole command read so far, into `args`: true; false if none is
  // whole yet (Fill reads more). Requests of no words are skipped. Error:
  // the request is malformed ("Protocol error: ..."); nothing after it can
  // be parsed.
  absl::StatusOr<bool> NextCommand(std::vector<std::string_view>& args);

  // Reads what has arrived (waiting for some): true, or false at EOF.
  Task<absl::StatusOr<bool>> Fill();

  // Where replies go (resp_writer.h).
  io::ByteBuffer& out() { return out_; }
  // Replies not yet taken by the socket.
  size_t Unwritten() const { return out_.size() + writing_.size(); }
  // Writes every reply appended so far.
  Task<absl::Status> Flush();

  net::TcpStream& stream() { return stream_; }

 private:
  // Read size: enough for a pipelined batch of small commands in one read;
  // a larger request grows the buffer as it needs.
  static constexpr size_t kReadChunk = 16 * 1024;

  net::TcpStream stream_;
  RespCodec::Limits limits_;
  io::ByteBuffer in_;
  size_t parsed_ = 0;  // bytes of in_ already parsed: commands' args use them
  io::ByteBuffer out_;
  io::ByteBuffer writing_;
};

}  // namespace weft::mini_redis

#endif  // WEFT_EXAMPLES_MINI_REDIS_CONNECTION_H_
