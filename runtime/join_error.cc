#include "runtime/join_error.h"

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

}  // namespace weft
