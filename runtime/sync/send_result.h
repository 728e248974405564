// SendResult<T>: what a channel's send says (tokio's Result<(),
// SendError<T>> and TrySendError<T>), the same for every channel: mpsc,
// oneshot, watch and broadcast, awaited, try and blocking sends alike.
//
//   auto [tx, rx] = weft::mpsc::Channel<std::string>(8);
//   weft::SendResult<std::string> sent = co_await tx.Send("job");
//   if (!sent.ok()) {
//     // nobody will receive it; the value came back: nothing is lost
//     std::string job = std::move(sent).unsent();
//   }
//
// ok() means delivered: queued for the receiver (mpsc), handed over
// (oneshot), stored for the receivers (watch, broadcast). Otherwise the
// value is given back, and error() says why:
//   kClosed  nobody will receive it: the receiver is gone or closed (every
//            receiver, for watch and broadcast).
//   kFull    no room now (TrySend on a bounded mpsc channel only).
// status() says the same as an absl::Status naming the send
// (CO_RETURN_IF_ERROR(sent.status())), and IgnoreError() is how to say
// that a failed send does not matter, as with absl::Status.
//
// There is deliberately no conversion to bool: `if (tx.Send(x))` read as
// "sent" by some and as "failed" by others, so neither compiles. A
// SendResult must be looked at ([[nodiscard]]), as tokio's Result must.
#ifndef WEFT_RUNTIME_SYNC_SEND_RESULT_H_
#define WEFT_RUNTIME_SYNC_SEND_RESULT_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace weft {

enum class SendError : uint8_t { kClosed, kFull };

template <class T>
class [[nodiscard]] SendResult {
 public:
  // Delivered.
  static SendResult Sent() { return SendResult(); }
  // Not delivered: `value` goes back to the caller. `operation` names the
  // send in status(), e.g. "mpsc::Sender::Send" (a string literal).
  static SendResult Refused(T value, SendError why, const char* operation) {
    return SendResult(std::move(value), why, operation);
  }

  SendResult(SendResult&&) noexcept = default;
  SendResult& operator=(SendResult&&) noexcept = default;

  bool ok() const { return !unsent_.has_value(); }
  bool closed() const { return !ok() && error_ == SendError::kClosed; }
  bool full() const { return !ok() && error_ == SendError::kFull; }
  // Why it was not delivered. Only when !ok().
  SendError error() const {
    CheckRefused("error");
    return error_;
  }

  // The value that was not delivered. Only when !ok(): on a delivered send
  // it throws std::logic_error, since the value is the receiver's now.
  T& unsent() & {
    CheckRefused("unsent");
    return *unsent_;
  }
  T&& unsent() && {
    CheckRefused("unsent");
    return std::move(*unsent_);
  }

  // OkStatus, or FailedPrecondition "<operation>: channel closed", or
  // ResourceExhausted "<operation>: channel full". The value stays here.
  absl::Status status() const {
    if (ok()) return absl::OkStatus();
    std::string message = std::string(operation_) + ": channel ";
    if (error_ == SendError::kFull) {
      return absl::ResourceExhaustedError(message + "full");
    }
    return absl::FailedPreconditionError(message + "closed");
  }

  // Says that a failed send does not matter (the value, if any, is
  // dropped with this result).
  void IgnoreError() const {}

 private:
  SendResult() = default;
  SendResult(T value, SendError why, const char* operation)
      : unsent_(std::move(value)), error_(why), operation_(operation) {}
  void CheckRefused(const char* accessor) const {
    if (ok()) {
      throw std::logic_error(std::string("weft: SendResult::") + accessor +
                             "() on a send that was delivered");
    }
  }

  std::optional<T> unsent_;  // set exactly when not delivered
  SendError error_ = SendError::kClosed;
  const char* operation_ = "send";
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_SEND_RESULT_H_
