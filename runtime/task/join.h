// Join and TryJoin: run several awaitables concurrently inside one task
// and wait for all of them (tokio's join! and try_join!).
//
//   int id = 42;
//   auto [user, orders] = co_await Join(FetchUser(id), FetchOrders(id));
//
//   absl::StatusOr<std::tuple<Config, std::monostate>> both =
//       co_await TryJoin(ReadConfig("weft.conf"), io::WriteAll(stream, "hi"));
//
// Join's result is a std::tuple with one element per awaitable, in order
// (std::monostate for one that yields void). Concurrent, not parallel: the
// awaitables take turns on the calling task's thread, each running while
// the others wait, as tokio's join! does within one task (branches.h); to
// use more threads, Spawn. If one throws, the others are cancelled where
// they wait and Join rethrows.
//
// TryJoin takes awaitables that yield absl::Status or absl::StatusOr<T>.
// The first error cancels the others where they wait, and is returned;
// with none, the values come as a tuple (std::monostate for a Status).
//
// Either takes lvalues (awaited in place) and temporaries (moved in), as
// Select does (select.h).
#ifndef WEFT_RUNTIME_TASK_JOIN_H_
#define WEFT_RUNTIME_TASK_JOIN_H_

#include <array>
#include <cstddef>
#include <exception>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/task/as_task.h"
#include "runtime/task/branches.h"
#include "runtime/task/select.h"
#include "runtime/task/task.h"

namespace weft {

namespace internal {

inline bool StopsIfThrew(std::coroutine_handle<> frame) {
  return PromiseOf(frame).failed();
}

template <class... Ts, size_t... I>
std::tuple<ValueOrMonostate<Ts>...> TakeAll(std::span<Branch> branches,
                                            std::index_sequence<I...>) {
  return {TakeBranchResult<Ts>(branches[I].frame())...};
}

template <class... Ts>
Task<std::tuple<ValueOrMonostate<Ts>...>> JoinTasks(Task<Ts>... tasks) {
  std::array<Branch, sizeof...(Ts)> branches{
      Branch(std::move(tasks).Release(), &StopsIfThrew)...};
  std::optional<size_t> ended;
  while (!(ended = StepBranches(branches, /*biased=*/true))) {
    co_await ParkBranches(branches);
  }
  const size_t stopped = *ended;
  if (stopped != branches.size()) {
    CancelAllBut(branches, stopped);
    std::rethrow_exception(
        PromiseOf(branches[stopped].frame()).TakeException());
  }
  std::tuple<ValueOrMonostate<Ts>...> results =
      TakeAll<Ts...>(branches, std::index_sequence_for<Ts...>{});
  co_return results;
}

// TryJoin's view of a branch's result: absl::Status, or absl::StatusOr<T>.
template <class S>
struct TryJoinTraits;
template <>
struct TryJoinTraits<absl::Status> {
  using Value = std::monostate;
  static const absl::Status& StatusOf(const absl::Status& s) { return s; }
  static Value ValueOf(absl::Status&&) { return {}; }
};
template <class T>
struct TryJoinTraits<absl::StatusOr<T>> {
  using Value = T;
  static const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
    return s.status();
  }
  static Value ValueOf(absl::StatusOr<T>&& s) { return *std::move(s); }
};

template <class S>
bool StopsOnError(std::coroutine_handle<> frame) {
  auto& promise = Task<S>::Handle::from_address(frame.address()).promise();
  return promise.failed() || !TryJoinTraits<S>::StatusOf(*promise.value()).ok();
}

template <class S>
absl::Status StatusOfBranch(std::coroutine_handle<> frame) {
  return TryJoinTraits<S>::StatusOf(TakeBranchResult<S>(frame));
}

template <class... Ss, size_t... I>
absl::Status StatusAt(std::span<Branch> branches, size_t stopped,
                      std::index_sequence<I...>) {
  absl::Status status;
  ((stopped == I ? (void)(status = StatusOfBranch<Ss>(branches[I].frame()))
                 : void()),
   ...);
  return status;
}

template <class... Ss, size_t... I>
std::tuple<typename TryJoinTraits<Ss>::Value...> TakeAllValues(
    std::span<Branch> branches, std::index_sequence<I...>) {
  return {
      TryJoinTraits<Ss>::ValueOf(TakeBranchResult<Ss>(branches[I].frame()))...};
}

template <class... Ss>
Task<absl::StatusOr<std::tuple<typename TryJoinTraits<Ss>::Value...>>>
TryJoinTasks(Task<Ss>... tasks) {
  std::array<Branch, sizeof...(Ss)> branches{
      Branch(std::move(tasks).Release(), &StopsOnError<Ss>)...};
  std::optional<size_t> ended;
  while (!(ended = StepBranches(branches, /*biased=*/true))) {
    co_await ParkBranches(branches);
  }
  const size_t stopped = *ended;
  if (stopped != branches.size()) {
    CancelAllBut(branches, stopped);
    // An exception rethrows here; an error status is the answer.
    absl::Status error =
        StatusAt<Ss...>(branches, stopped, std::index_sequence_for<Ss...>{});
    co_return error;
  }
  std::tuple<typename TryJoinTraits<Ss>::Value...> values =
      TakeAllValues<Ss...>(branches, std::index_sequence_for<Ss...>{});
  co_return values;
}

}  // namespace internal

template <class... A>
auto Join(A&&... awaitables) {
  return internal::JoinTasks(internal::AsTask(std::forward<A>(awaitables))...);
}

template <class... A>
auto TryJoin(A&&... awaitables) {
  return internal::TryJoinTasks(
      internal::AsTask(std::forward<A>(awaitables))...);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_JOIN_H_
