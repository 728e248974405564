#include "net/duplex.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "runtime/task/poll_fn.h"
#include "runtime/task/waker.h"

namespace weft::io {
namespace duplex_internal {

// One direction: bytes from the writing end to the reading end.
//
//   data_[head_, size)  what is written and not yet read; never more than
//                       max_ bytes.
//   writer_closed_      no more bytes will come (Shutdown, or the writing
//                       end went): a read of an empty pipe is EOF.
//   reader_closed_      nobody will read (the reading end went): a write
//                       fails.
//   reader_, writer_    the parked reader's and writer's wakers.
//
// Everything under mu_; a waker is woken after the lock is let go. Each
// poll checks and stores its waker under the one lock that every change
// takes, so no wake falls between them.
class Pipe {
 public:
  explicit Pipe(size_t max) : max_(std::max<size_t>(max, 1)) {}

  std::optional<absl::StatusOr<size_t>> PollRead(std::span<char> buf,
                                                 PollContext& cx) {
    Waker wake;
    size_t n = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const size_t available = data_.size() - head_;
      if (available == 0) {
        if (writer_closed_ || buf.empty()) return size_t{0};
        reader_ = cx.waker();
        return std::nullopt;
      }
      n = std::min(available, buf.size());
      std::memcpy(buf.data(), data_.data() + head_, n);
      head_ += n;
      if (head_ == data_.size()) {
        data_.clear();
        head_ = 0;
      }
      wake = std::move(writer_);  // room was made
    }
    std::move(wake).Wake();
    return n;
  }

  std::optional<absl::StatusOr<size_t>> PollWrite(std::span<const char> buf,
                                                  PollContext& cx) {
    Waker wake;
    size_t n = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (writer_closed_) {
        return absl::FailedPreconditionError(
            "write duplex stream: written after Shutdown");
      }
      if (reader_closed_) {
        return absl::FailedPreconditionError(
            "write duplex stream: the reading end is gone");
      }
      if (buf.empty()) return size_t{0};
      const size_t held = data_.size() - head_;
      if (held == max_) {
        writer_ = cx.waker();
        return std::nullopt;
      }
      if (head_ > 0 && head_ >= data_.size() / 2) {  // keep the copy short
        data_.erase(0, head_);
        head_ = 0;
      }
      n = std::min(max_ - held, buf.size());
      data_.append(buf.data(), n);
      wake = std::move(reader_);
    }
    std::move(wake).Wake();
    return n;
  }

  // The writing end is done: readers see EOF after what is buffered.
  void CloseWriter() {
    Waker wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      writer_closed_ = true;
      wake = std::move(reader_);
    }
    std::move(wake).Wake();
  }
  // The reading end went: writes fail, and what is buffered goes.
  void CloseReader() {
    Waker wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      reader_closed_ = true;
      data_.clear();
      head_ = 0;
      wake = std::move(writer_);
    }
    std::move(wake).Wake();
  }

 private:
  std::mutex mu_;
  std::string data_;
  size_t head_ = 0;
  const size_t max_;
  bool writer_closed_ = false;
  bool reader_closed_ = false;
  Waker reader_;
  Waker writer_;
};

}  // namespace duplex_internal

std::pair<DuplexStream, DuplexStream> Duplex(size_t max_buffer) {
  auto a_to_b = std::make_shared<duplex_internal::Pipe>(max_buffer);
  auto b_to_a = std::make_shared<duplex_internal::Pipe>(max_buffer);
  return {DuplexStream(b_to_a, a_to_b), DuplexStream(a_to_b, b_to_a)};
}

DuplexStream& DuplexStream::operator=(DuplexStream&& other) noexcept {
  if (this != &other) {
    Close();
    read_ = std::move(other.read_);
    write_ = std::move(other.write_);
  }
  return *this;
}

DuplexStream::~DuplexStream() { Close(); }

void DuplexStream::Close() {
  if (write_ != nullptr) write_->CloseWriter();
  if (read_ != nullptr) read_->CloseReader();
}

Task<absl::StatusOr<size_t>> DuplexStream::Read(std::span<char> buf) {
  duplex_internal::Pipe* pipe = read_.get();
  // A named poll function, not a lambda in the co_await operand (GCC 12:
  // docs/design-decisions.md).
  auto poll = [pipe, buf](PollContext& cx) { return pipe->PollRead(buf, cx); };
  absl::StatusOr<size_t> n = co_await PollFn(poll);
  co_return n;
}

Task<absl::StatusOr<size_t>> DuplexStream::Write(std::span<const char> buf) {
  duplex_internal::Pipe* pipe = write_.get();
  auto poll = [pipe, buf](PollContext& cx) { return pipe->PollWrite(buf, cx); };
  absl::StatusOr<size_t> n = co_await PollFn(poll);
  co_return n;
}

absl::Status DuplexStream::Shutdown() {
  write_->CloseWriter();
  return absl::OkStatus();
}

}  // namespace weft::io
