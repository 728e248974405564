// AwaitResultOf<A>: the type `co_await std::declval<A>()` yields, for any
// awaitable: one with a member or free operator co_await (a Task, a
// JoinHandle), or an awaiter itself (Notify::Notified(), Sleep).
#ifndef WEFT_RUNTIME_TASK_AWAIT_RESULT_H_
#define WEFT_RUNTIME_TASK_AWAIT_RESULT_H_

#include <utility>

namespace weft::internal {

template <class A>
decltype(auto) AwaiterOf(A&& awaitable) {
  if constexpr (requires { static_cast<A&&>(awaitable).operator co_await(); }) {
    return static_cast<A&&>(awaitable).operator co_await();
  } else if constexpr (requires {
                         operator co_await(static_cast<A&&>(awaitable));
                       }) {
    return operator co_await(static_cast<A&&>(awaitable));
  } else {
    return static_cast<A&&>(awaitable);
  }
}

template <class A>
using AwaitResultOf = decltype(AwaiterOf(std::declval<A>()).await_resume());

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_AWAIT_RESULT_H_
