// The two halves of a TcpStream, so one task can read while another writes.
//
//   auto [reader, writer] = stream.Split();             // borrowed
//   auto [reader, writer] = std::move(stream).IntoSplit();  // owned
//
// Borrowed halves point at the stream, which must outlive them; they cost
// nothing. Owned halves share the stream (one allocation) and can move into
// different spawned tasks. Dropping an OwnedWriteHalf shuts down the write
// direction, so the peer sees EOF (tokio does the same); Reunite() turns the
// two owned halves of one stream back into the stream.
#ifndef WEFT_NET_SPLIT_H_
#define WEFT_NET_SPLIT_H_

#include <memory>
#include <span>
#include <string>

#include "net/tcp_stream.h"

namespace weft::net {

class ReadHalf {
 public:
  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    return stream_->Read(buf);
  }
  AsyncFd::ReadinessAwaiter Readable() { return stream_->Readable(); }
  std::optional<absl::StatusOr<size_t>> TryRead(std::span<char> buf) {
    return stream_->TryRead(buf);
  }
  Task<absl::Status> ReadExact(std::span<char> buf) {
    return stream_->ReadExact(buf);
  }
  Task<absl::StatusOr<size_t>> ReadToEnd(std::string& out) {
    return stream_->ReadToEnd(out);
  }
  const SocketAddr& PeerAddr() const { return stream_->PeerAddr(); }

 private:
  friend class TcpStream;
  explicit ReadHalf(TcpStream* stream) : stream_(stream) {}
  TcpStream* stream_;
};

class WriteHalf {
 public:
  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    return stream_->Write(buf);
  }
  AsyncFd::ReadinessAwaiter Writable() { return stream_->Writable(); }
  std::optional<absl::StatusOr<size_t>> TryWrite(std::span<const char> buf) {
    return stream_->TryWrite(buf);
  }
  Task<absl::Status> WriteAll(std::span<const char> buf) {
    return stream_->WriteAll(buf);
  }
  absl::Status Shutdown() { return stream_->Shutdown(); }
  const SocketAddr& PeerAddr() const { return stream_->PeerAddr(); }

 private:
  friend class TcpStream;
  explicit WriteHalf(TcpStream* stream) : stream_(stream) {}
  TcpStream* stream_;
};

class OwnedReadHalf {
 public:
  OwnedReadHalf(OwnedReadHalf&&) = default;
  OwnedReadHalf& operator=(OwnedReadHalf&&) = default;

  Task<absl::StatusOr<size_t>> Read(std::span<char> buf) {
    return stream_->Read(buf);
  }
  AsyncFd::ReadinessAwaiter Readable() { return stream_->Readable(); }
  std::optional<absl::StatusOr<size_t>> TryRead(std::span<char> buf) {
    return stream_->TryRead(buf);
  }
  Task<absl::Status> ReadExact(std::span<char> buf) {
    return stream_->ReadExact(buf);
  }
  Task<absl::StatusOr<size_t>> ReadToEnd(std::string& out) {
    return stream_->ReadToEnd(out);
  }
  const SocketAddr& PeerAddr() const { return stream_->PeerAddr(); }

 private:
  friend class TcpStream;
  friend absl::StatusOr<TcpStream> Reunite(OwnedReadHalf&, OwnedWriteHalf&);
  explicit OwnedReadHalf(std::shared_ptr<TcpStream> s)
      : stream_(std::move(s)) {}
  std::shared_ptr<TcpStream> stream_;
};

class OwnedWriteHalf {
 public:
  OwnedWriteHalf(OwnedWriteHalf&&) = default;
  OwnedWriteHalf& operator=(OwnedWriteHalf&& other) {
    if (this != &other) {
      ShutdownIfOwned();
      stream_ = std::move(other.stream_);
    }
    return *this;
  }
  ~OwnedWriteHalf() { ShutdownIfOwned(); }

  Task<absl::StatusOr<size_t>> Write(std::span<const char> buf) {
    return stream_->Write(buf);
  }
  AsyncFd::ReadinessAwaiter Writable() { return stream_->Writable(); }
  std::optional<absl::StatusOr<size_t>> TryWrite(std::span<const char> buf) {
    return stream_->TryWrite(buf);
  }
  Task<absl::Status> WriteAll(std::span<const char> buf) {
    return stream_->WriteAll(buf);
  }
  absl::Status Shutdown() { return stream_->Shutdown(); }
  const SocketAddr& PeerAddr() const { return stream_->PeerAddr(); }

 private:
  friend class TcpStream;
  friend absl::StatusOr<TcpStream> Reunite(OwnedReadHalf&, OwnedWriteHalf&);
  explicit OwnedWriteHalf(std::shared_ptr<TcpStream> s)
      : stream_(std::move(s)) {}
  void ShutdownIfOwned() {
    // The peer is told we are done writing; errors (already closed) are
    // of no use to anyone here.
    if (stream_) static_cast<void>(stream_->Shutdown());
  }
  std::shared_ptr<TcpStream> stream_;
};

// Puts the owned halves of one stream back together; both are left empty.
// Halves of different streams: FailedPrecondition, and both are untouched.
absl::StatusOr<TcpStream> Reunite(OwnedReadHalf& read, OwnedWriteHalf& write);

}  // namespace weft::net

#endif  // WEFT_NET_SPLIT_H_
