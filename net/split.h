// The two halves of a TcpStream, so one task can read while another writes.
//
//   auto [reader, writer] = stream.Split();                 // borrowed
//   auto [owned_reader, owned_writer] = std::move(stream).IntoSplit();
//
// Borrowed halves point at the stream, which must outlive them; they cost
// nothing. Owned halves share the stream (one allocation) and can move into
// different spawned tasks. Dropping an OwnedWriteHalf shuts down the write
// direction, so the peer sees EOF (tokio does the same); Reunite() turns the
// two owned halves of one stream back into the stream.
#ifndef WEFT_NET_SPLIT_H_
#define WEFT_NET_SPLIT_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "net/tcp_stream.h"

namespace weft::net {

namespace split_internal {

// The read side's operations, forwarded to the stream that `Ptr` points at:
// TcpStream* for a borrowed half, std::shared_ptr<TcpStream> for an owned
// one. The halves differ only in how they hold the stream.
template <class Ptr>
class ReadOps {
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

 protected:
  explicit ReadOps(Ptr stream) : stream_(std::move(stream)) {}
  Ptr stream_;
};

// The write side's operations, likewise.
template <class Ptr>
class WriteOps {
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

 protected:
  explicit WriteOps(Ptr stream) : stream_(std::move(stream)) {}
  Ptr stream_;
};

}  // namespace split_internal

class ReadHalf : public split_internal::ReadOps<TcpStream*> {
 private:
  friend class TcpStream;
  explicit ReadHalf(TcpStream* stream) : ReadOps(stream) {}
};

class WriteHalf : public split_internal::WriteOps<TcpStream*> {
 private:
  friend class TcpStream;
  explicit WriteHalf(TcpStream* stream) : WriteOps(stream) {}
};

class OwnedReadHalf
    : public split_internal::ReadOps<std::shared_ptr<TcpStream>> {
 public:
  OwnedReadHalf(OwnedReadHalf&&) = default;
  OwnedReadHalf& operator=(OwnedReadHalf&&) = default;

 private:
  friend class TcpStream;
  friend absl::StatusOr<TcpStream> Reunite(OwnedReadHalf&, OwnedWriteHalf&);
  explicit OwnedReadHalf(std::shared_ptr<TcpStream> s)
      : ReadOps(std::move(s)) {}
};

class OwnedWriteHalf
    : public split_internal::WriteOps<std::shared_ptr<TcpStream>> {
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

 private:
  friend class TcpStream;
  friend absl::StatusOr<TcpStream> Reunite(OwnedReadHalf&, OwnedWriteHalf&);
  explicit OwnedWriteHalf(std::shared_ptr<TcpStream> s)
      : WriteOps(std::move(s)) {}
  void ShutdownIfOwned() {
    // The peer is told we are done writing; errors (already closed) are
    // of no use to anyone here.
    if (stream_) static_cast<void>(stream_->Shutdown());
  }
};

// Puts the owned halves of one stream back together; both are left empty.
// Halves of different streams: FailedPrecondition, and both are untouched.
absl::StatusOr<TcpStream> Reunite(OwnedReadHalf& read, OwnedWriteHalf& write);

}  // namespace weft::net

#endif  // WEFT_NET_SPLIT_H_
