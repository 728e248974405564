// How weft reports a misuse it can catch cheaply: loudly, naming what was
// misused, instead of undefined behaviour later.
//
// Two kinds of check:
//   * always on, where the check costs nothing on a hot path (a destructor
//     that finds tasks still waiting, an empty handle awaited);
//   * kMisuseChecks, on in every build without NDEBUG (the tests, the
//     sanitizer builds, a user's debug build) and off in -c opt, where the
//     check costs a little on every operation (a count per permit held).
//
// An object that was moved from, or never set up (a default-constructed
// handle), refers to nothing. Asking it something answers as an empty
// JoinHandle does: queries give the "nothing there" answer (IsFinished()
// true, IsClosed() true), and an operation that needs what it referred to
// (awaiting it, sending, receiving) throws std::logic_error from here,
// before any awaiter exists.
#ifndef WEFT_RUNTIME_TASK_MISUSE_H_
#define WEFT_RUNTIME_TASK_MISUSE_H_

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace weft::internal {

#ifdef NDEBUG
inline constexpr bool kMisuseChecks = false;
#else
inline constexpr bool kMisuseChecks = true;
#endif

// "weft: <what>" on stderr, then abort: for a misuse found where nothing
// may throw (a destructor), or where going on would corrupt memory.
[[noreturn]] inline void MisuseAbort(const char* what) noexcept {
  std::fprintf(stderr, "weft: %s\n", what);
  std::abort();
}

// "weft: <type>::<operation> on an empty <type> (moved from, or never
// set up)"; `type` and `operation` are string literals.
[[noreturn]] inline void ThrowEmpty(const char* type, const char* operation) {
  throw std::logic_error(std::string("weft: ") + type + "::" + operation +
                         " on an empty " + type +
                         " (moved from, or never set up)");
}

// An owned form (AcquireOwned, LockOwned, ...) called on a `type` that no
// std::shared_ptr owns: "weft: <type>::<operation> on a <type> that no
// std::shared_ptr owns: make it with std::make_shared".
[[noreturn]] inline void ThrowNotShared(const char* type,
                                        const char* operation) {
  throw std::logic_error(std::string("weft: ") + type + "::" + operation +
                         " on a " + type +
                         " that no std::shared_ptr owns: make it with "
                         "std::make_shared");
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
