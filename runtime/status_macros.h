// Rust's `?` for coroutines that return absl::Status or absl::StatusOr<T>.
//
//   CO_ASSIGN_OR_RETURN(TcpStream stream, co_await TcpStream::Connect(addr));
//   CO_RETURN_IF_ERROR(co_await stream.WriteAll(request));
//
// On error the enclosing coroutine does `co_return status;`, so it must
// return Task<absl::Status> or Task<absl::StatusOr<U>>.
#ifndef WEFT_RUNTIME_STATUS_MACROS_H_
#define WEFT_RUNTIME_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace weft::internal {
inline const absl::Status& AsStatus(const absl::Status& s) { return s; }
template <class T>
const absl::Status& AsStatus(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace weft::internal

#define WEFT_STATUS_CONCAT_INNER_(a, b) a##b
#define WEFT_STATUS_CONCAT_(a, b) WEFT_STATUS_CONCAT_INNER_(a, b)

// `expr` is evaluated once; its status (of a Status or StatusOr) returned
// from the coroutine if not OK.
#define CO_RETURN_IF_ERROR(expr)                          \
  do {                                                    \
    auto&& weft_status_ = (expr);                         \
    if (!::weft::internal::AsStatus(weft_status_).ok()) { \
      co_return ::weft::internal::AsStatus(weft_status_); \
    }                                                     \
  } while (false)

// `lhs` is a declaration or an lvalue; `rexpr` yields absl::StatusOr<T>.
#define CO_ASSIGN_OR_RETURN(lhs, rexpr)                                \
  auto WEFT_STATUS_CONCAT_(weft_statusor_, __LINE__) = (rexpr);        \
  if (!WEFT_STATUS_CONCAT_(weft_statusor_, __LINE__).ok()) {           \
    co_return std::move(WEFT_STATUS_CONCAT_(weft_statusor_, __LINE__)) \
        .status();                                                     \
  }                                                                    \
  lhs = *std::move(WEFT_STATUS_CONCAT_(weft_statusor_, __LINE__))

#endif  // WEFT_RUNTIME_STATUS_MACROS_H_
