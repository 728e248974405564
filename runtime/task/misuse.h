// How weft reports a misuse it can catch cheaply: loudly, naming what was
// misused, instead of undefined behaviour later.
//
// An object that was moved from, or never set up (a default-constructed
// handle), refers to nothing. Asking it something answers as an empty
// JoinHandle does: queries give the "nothing there" answer (IsFinished()
// true, IsClosed() true), and an operation that needs what it referred to
// (awaiting it, sending, receiving) throws std::logic_error from here,
// before any awaiter exists.
#ifndef WEFT_RUNTIME_TASK_MISUSE_H_
#define WEFT_RUNTIME_TASK_MISUSE_H_

#include <stdexcept>
#include <string>

namespace weft::internal {

// "weft: <type>::<operation> on an empty <type> (moved from, or never
// set up)"; `type` and `operation` are string literals.
[[noreturn]] inline void ThrowEmpty(const char* type, const char* operation) {
  throw std::logic_error(std::string("weft: ") + type + "::" + operation +
                         " on an empty " + type +
                         " (moved from, or never set up)");
}

// `object` if it is not null; else ThrowEmpty.
template <class P>
P* NonEmpty(P* object, const char* type, const char* operation) {
  if (object == nullptr) [[unlikely]]
    ThrowEmpty(type, operation);
  return object;
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_MISUSE_H_
