// JoinError and JoinResult<T>: what awaiting a JoinHandle gives back.
//
// `co_await handle` yields JoinResult<T>: the task's value, or a JoinError
// saying why there is none (tokio's Result<T, JoinError>):
//   cancelled  the task was aborted, or its runtime shut down, first.
//   failed     an exception escaped the task; exception() keeps it, and
//              value() rethrows it.
#ifndef WEFT_RUNTIME_TASK_JOIN_ERROR_H_
#define WEFT_RUNTIME_TASK_JOIN_ERROR_H_

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace weft {

namespace internal {
// Awaiting an empty JoinHandle (join_handle.h): throws std::logic_error.
[[noreturn]] void ThrowEmptyJoinHandle();
}  // namespace internal

class JoinError : public std::exception {
 public:
  static JoinError Cancelled() { return JoinError(nullptr); }
  static JoinError Failed(std::exception_ptr e) {
    return JoinError(std::move(e));
  }

  bool IsCancelled() const { return exception_ == nullptr; }
  bool IsFailed() const { return exception_ != nullptr; }
  // The exception that escaped the task (null when cancelled).
  const std::exception_ptr& exception() const { return exception_; }
  // Rethrows the task's own exception; throws this JoinError if cancelled.
  [[noreturn]] void Rethrow() const;

  // "task was cancelled" or "task failed".
  const char* what() const noexcept override;
  // "task was cancelled" or "task failed: <the exception's what()>".
  std::string ToString() const;

 private:
  explicit JoinError(std::exception_ptr e) : exception_(std::move(e)) {}
  // Kept small (two words): it sits in every task's output slot.
  std::exception_ptr exception_;
};

template <class T>
class JoinResult {
 public:
  JoinResult(T value) : result_(std::in_place_index<0>, std::move(value)) {}
  JoinResult(JoinError error)
      : result_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return result_.index() == 0; }
  // The value; if there is none, rethrows the task's exception or throws
  // the JoinError (cancelled).
  T& value() & {
    ThrowIfError();
    return std::get<0>(result_);
  }
  T&& value() && {
    ThrowIfError();
    return std::get<0>(std::move(result_));
  }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const JoinError& error() const { return std::get<1>(result_); }

 private:
  void ThrowIfError() const {
    if (!ok()) error().Rethrow();
  }
  std::variant<T, JoinError> result_;
};

template <>
class JoinResult<void> {
 public:
  JoinResult() = default;
  JoinResult(JoinError error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  void value() const {
    if (error_) error_->Rethrow();
  }
  const JoinError& error() const { return *error_; }

 private:
  std::optional<JoinError> error_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_JOIN_ERROR_H_
