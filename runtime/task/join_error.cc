#include "runtime/task/join_error.h"

#include <stdexcept>

namespace weft {

const char* JoinError::what() const noexcept {
  return IsCancelled() ? "task was cancelled" : "task failed";
}

std::string JoinError::ToString() const {
  if (IsCancelled()) return what();
  try {
    std::rethrow_exception(exception_);
  } catch (const std::exception& e) {
    return std::string("task failed: ") + e.what();
  } catch (...) {
    return "task failed: an exception not derived from std::exception";
  }
}

void JoinError::Rethrow() const {
  if (exception_) std::rethrow_exception(exception_);
  throw *this;
}

void internal::ThrowEmptyJoinHandle() {
  throw std::logic_error(
      "weft: co_await on an empty JoinHandle (default-constructed or moved "
      "from): it refers to no task");
}

}  // namespace weft
