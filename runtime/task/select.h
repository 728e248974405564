// Select: wait for the first of several awaitables (tokio's select!).
//
//   auto won = co_await Select(rx.Recv(), Sleep(1s), shutdown.Notified());
//   switch (won.index()) {
//     case 0: Handle(std::get<0>(std::move(won)));  break;  // a message
//     case 1: Tick();                                break;  // the second
//     case 2: co_return;                                     // shutdown
//   }
//
// Each awaitable is any weft awaitable: a channel receive, a Sleep, a
// JoinHandle, Notified(), a socket read, a lock acquire, a Task, a Timeout,
// another Select. An lvalue (a JoinHandle you keep) is awaited in place and
// must outlive the Select; anything else is moved in.
//
// The result is a std::variant with one alternative per awaitable, in
// order (std::monostate for one that yields void); index() names the
// winner. The others are cancelled where they wait before Select returns:
// their frames are destroyed, so what they waited for stays for the next
// taker. Whether an operation loses anything when cancelled is in the
// cancel-safety table (docs/sync.md). If the winner threw, Select rethrows.
//
// All run inside the calling task, as tokio's branches do inside the
// future select! makes: no task is spawned (branches.h). Every time the
// task wakes, the branches whose event came are run on, starting at a
// pseudo-random one, so that a busy branch cannot starve the others.
// SelectBiased starts at the first every time: the first listed wins ties
// (tokio's `biased;`).
#ifndef WEFT_RUNTIME_TASK_SELECT_H_
#define WEFT_RUNTIME_TASK_SELECT_H_

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <variant>

#include "runtime/task/as_task.h"
#include "runtime/task/branches.h"
#include "runtime/task/task.h"

namespace weft {

// What an awaitable yields, as a value: std::monostate for void.
template <class T>
using ValueOrMonostate =
    std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class... Ts>
using SelectResult = std::variant<ValueOrMonostate<Ts>...>;

namespace internal {

// The result of a finished branch whose Task yields T (rethrows if it
// threw).
template <class T>
ValueOrMonostate<T> TakeBranchResult(std::coroutine_handle<> frame) {
  auto& promise = Task<T>::Handle::from_address(frame.address()).promise();
  if constexpr (std::is_void_v<T>) {
    promise.TakeResult();
    return std::monostate{};
  } else {
    return promise.TakeResult();
  }
}

template <class... Ts, size_t... I>
SelectResult<Ts...> TakeWinner(std::span<Branch> branches, size_t winner,
                               std::index_sequence<I...>) {
  std::optional<SelectResult<Ts...>> result;
  ((winner == I
        ? (void)result.emplace(std::in_place_index<I>,
                               TakeBranchResult<Ts>(branches[I].frame()))
        : void()),
   ...);
  return std::move(*result);
}

inline bool AlwaysStops(std::coroutine_handle<>) { return true; }

template <class... Ts>
Task<SelectResult<Ts...>> SelectTasks(bool biased, Task<Ts>... tasks) {
  std::array<Branch, sizeof...(Ts)> branches{
      Branch(std::move(tasks).Release(), &AlwaysStops)...};
  std::optional<size_t> stopped;
  while (!(stopped = StepBranches(branches, biased))) {
    co_await ParkBranches(branches);
  }
  const size_t winner = *stopped;
  for (size_t i = 0; i < branches.size(); ++i) {
    if (i != winner) branches[i].Cancel();  // before the caller goes on
  }
  SelectResult<Ts...> result =
      TakeWinner<Ts...>(branches, winner, std::index_sequence_for<Ts...>{});
  co_return result;
}

}  // namespace internal

template <class... A>
auto Select(A&&... awaitables) {
  static_assert(sizeof...(A) > 0, "Select needs something to wait for");
  return internal::SelectTasks(
      /*biased=*/false, internal::AsTask(std::forward<A>(awaitables))...);
}

template <class... A>
auto SelectBiased(A&&... awaitables) {
  static_assert(sizeof...(A) > 0, "Select needs something to wait for");
  return internal::SelectTasks(
      /*biased=*/true, internal::AsTask(std::forward<A>(awaitables))...);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_SELECT_H_
