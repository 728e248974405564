#include "runtime/join_error.h"

namespace weft {
namespace {

std::string Describe(const std::exception_ptr& e) {
  if (e == nullptr) return "task was cancelled";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return std::string("task failed: ") + ex.what();
  } catch (...) {
    return "task failed: unknown exception";
  }
}

}  // namespace

JoinError::JoinError(std::exception_ptr e)
    : exception_(std::move(e)), message_(Describe(exception_)) {}

void JoinError::Rethrow() const {
  if (exception_) std::rethrow_exception(exception_);
  throw *this;
}

}  // namespace weft
