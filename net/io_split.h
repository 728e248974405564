// io::Split: any stream that reads and writes, as a read half and a write
// half that can go to different tasks (tokio's io::split).
//
//   auto [client, server] = io::Duplex(4096);
//   auto [reader, writer] = io::Split(std::move(client));
//   Spawn(Pump(std::move(reader)));      // reads in another task
//   CO_RETURN_IF_ERROR(co_await io::WriteAll(writer, "hi"));  // writes here
//   absl::StatusOr<io::DuplexStream> back =
//       io::Unsplit(std::move(reader), std::move(writer));
//
// The halves share the stream (one allocation); it goes when both have.
// One task may read while another writes, as the stream itself allows;
// the halves add no lock. For a TcpStream, its own IntoSplit() (split.h)
// does the same and also shuts writing down when the write half goes.
#ifndef WEFT_NET_IO_SPLIT_H_
#define WEFT_NET_IO_SPLIT_H_

#include <memory>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/async_io.h"
#include "runtime/task/task.h"

namespace weft::io {

template <class S>
class ReadHalf;
template <class S>
class WriteHalf;

template <class S>
class ReadHalf {
 public:
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    return stream_->Read(buf);
  }
  decltype(auto) PeerAddr() const requires requires(const S& s) {
    s.PeerAddr();
  }
  { return stream_->PeerAddr(); }

 private:
  template <class T>
  friend std::pair<ReadHalf<T>, WriteHalf<T>> Split(T stream);
  template <class T>
  friend absl::StatusOr<T> Unsplit(ReadHalf<T> read, WriteHalf<T> write);
  explicit ReadHalf(std::shared_ptr<S> stream) : stream_(std::move(stream)) {}
  std::shared_ptr<S> stream_;
};

template <class S>
class WriteHalf {
 public:
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    return stream_->Write(buf);
  }
  decltype(auto) Shutdown() requires requires(S& s) { s.Shutdown(); }
  { return stream_->Shutdown(); }
  decltype(auto) PeerAddr() const requires requires(const S& s) {
    s.PeerAddr();
  }
  { return stream_->PeerAddr(); }

 private:
  template <class T>
  friend std::pair<ReadHalf<T>, WriteHalf<T>> Split(T stream);
  template <class T>
  friend absl::StatusOr<T> Unsplit(ReadHalf<T> read, WriteHalf<T> write);
  explicit WriteHalf(std::shared_ptr<S> stream) : stream_(std::move(stream)) {}
  std::shared_ptr<S> stream_;
};

template <class S>
std::pair<ReadHalf<S>, WriteHalf<S>> Split(S stream) {
  static_assert(AsyncRead<S> && AsyncWrite<S>,
                "io::Split takes a stream that reads and writes");
  auto shared = std::make_shared<S>(std::move(stream));
  return {ReadHalf<S>(shared), WriteHalf<S>(shared)};
}

// The stream back from its two halves. Halves of different streams:
// FailedPrecondition (both halves are dropped).
template <class S>
absl::StatusOr<S> Unsplit(ReadHalf<S> read, WriteHalf<S> write) {
  if (read.stream_ != write.stream_) {
    return absl::FailedPreconditionError(
        "io::Unsplit: the halves are of different streams");
  }
  std::shared_ptr<S> shared = std::move(read.stream_);
  write.stream_.reset();
  return std::move(*shared);
}

}  // namespace weft::io

#endif  // WEFT_NET_IO_SPLIT_H_
