// Elapsed and TimeoutResult<T>: what awaiting a Timeout gives back.
//
// `co_await Timeout(d, op)` yields TimeoutResult<T>, T being what `op`
// itself yields (tokio's Result<T, Elapsed>):
//
//   TimeoutResult<absl::StatusOr<size_t>> r =
//       co_await Timeout(2s, stream.Read(buffer));
//   if (!r.ok()) co_return r.status();     // the deadline came first
//   absl::StatusOr<size_t> n = *r;         // the read's own result
//
// The two outcomes never mix: the deadline is `elapsed()`, and an error of
// the operation itself (even a DeadlineExceeded of its own) is inside the
// value, where only the operation put it.
#ifndef WEFT_RUNTIME_TIME_TIMEOUT_RESULT_H_
#define WEFT_RUNTIME_TIME_TIMEOUT_RESULT_H_

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "runtime/time/timer_entry.h"

namespace weft {

// The deadline came before the operation finished; the operation was
// cancelled where it waited (its frames destroyed, nothing left registered).
class Elapsed : public std::exception {
 public:
  // `after`: the Timeout's duration; none for TimeoutAt.
  explicit Elapsed(std::optional<Clock::duration> after = std::nullopt)
      : after_(after) {}

  // "deadline has elapsed"
  const char* what() const noexcept override;
  // DeadlineExceeded: "timed out after 250 ms", or "deadline has elapsed".
  absl::Status ToStatus() const;

 private:
  std::optional<Clock::duration> after_;
};

template <class T>
class [[nodiscard]] TimeoutResult {
 public:
  TimeoutResult(T value) : value_(std::move(value)) {}
  TimeoutResult(Elapsed elapsed) : elapsed_(elapsed) {}

  // The operation finished before the deadline.
  bool ok() const { return value_.has_value(); }
  bool elapsed() const { return !ok(); }
  // OK, or the DeadlineExceeded that says the deadline came first.
  absl::Status status() const {
    return ok() ? absl::OkStatus() : elapsed_.ToStatus();
  }

  // The operation's own result; throws Elapsed if there is none.
  T& value() & {
    ThrowIfElapsed();
    return *value_;
  }
  T&& value() && {
    ThrowIfElapsed();
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }

 private:
  void ThrowIfElapsed() const {
    if (!ok()) throw elapsed_;
  }
  std::optional<T> value_;
  Elapsed elapsed_;
};

template <>
class [[nodiscard]] TimeoutResult<void> {
 public:
  TimeoutResult() = default;
  TimeoutResult(Elapsed elapsed) : elapsed_(elapsed) {}

  bool ok() const { return !elapsed_.has_value(); }
  bool elapsed() const { return !ok(); }
  absl::Status status() const {
    return ok() ? absl::OkStatus() : elapsed_->ToStatus();
  }
  // Throws Elapsed if the deadline came first.
  void value() const {
    if (elapsed_) throw *elapsed_;
  }

 private:
  std::optional<Elapsed> elapsed_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TIME_TIMEOUT_RESULT_H_
