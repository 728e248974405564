// AsTask(awaitable): any weft awaitable as a Task, to run as one chain
// among others in the same task (Timeout's inner frame, the branches of a
// Select or Join).
#ifndef WEFT_RUNTIME_TASK_AS_TASK_H_
#define WEFT_RUNTIME_TASK_AS_TASK_H_

#include <type_traits>
#include <utility>

#include "runtime/task/await_result.h"
#include "runtime/task/task.h"

namespace weft::internal {

// Any awaitable, as a Task: `A` is a reference for an lvalue (awaited in
// place), a value for anything else (moved into this frame).
template <class A>
Task<std::decay_t<AwaitResultOf<A&&>>> AwaitInTask(A awaitable) {
  using R = std::decay_t<AwaitResultOf<A&&>>;
  if constexpr (std::is_void_v<R>) {
    co_await static_cast<A&&>(awaitable);
  } else {
    R value = co_await static_cast<A&&>(awaitable);
    co_return value;
  }
}

template <class A>
auto AsTask(A&& awaitable) {
  if constexpr (kIsTask<std::remove_cvref_t<A>>) {
    static_assert(!std::is_lvalue_reference_v<A>,
                  "pass a Task with std::move: it is taken over");
    return std::move(awaitable);
  } else {
    static_assert(std::is_lvalue_reference_v<A> ||
                      std::is_move_constructible_v<std::remove_cvref_t<A>>,
                  "a temporary awaitable is moved into a frame of its own");
    return AwaitInTask<A>(std::forward<A>(awaitable));
  }
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_AS_TASK_H_
