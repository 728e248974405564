// Select: wait for the first of several awaitables (tokio's select!).
//
//   auto [tx, rx] = mpsc::Channel<Command>(16);
//   Notify shutdown;
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
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "runtime/task/as_task.h"
#include "runtime/task/await_result.h"
#include "runtime/task/branches.h"
#include "runtime/task/context.h"
#include "runtime/task/coop.h"
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
  CancelAllBut(branches, winner);
  SelectResult<Ts...> result =
      TakeWinner<Ts...>(branches, winner, std::index_sequence_for<Ts...>{});
  co_return result;
}

// A Select parameter (`A`: T held by the Select, or T& for an lvalue) as a
// branch: a Task is one already; anything else is awaited in place by a
// Task of its own.
template <class A>
auto BranchTask(A& awaitable) {
  using T = std::remove_reference_t<A>;
  if constexpr (kIsTask<std::remove_cv_t<T>>) {
    return std::move(awaitable);
  } else if constexpr (requires { AwaiterOf(awaitable); }) {
    return AwaitInTask<T&>(awaitable);
  } else {
    return AwaitInTask<T>(std::move(awaitable));  // awaitable as an rvalue
  }
}
template <class A>
using BranchValue =
    typename decltype(BranchTask<A>(std::declval<A&>()))::value_type;

// Whether Select may ask `A` whether it is ready without suspending: any
// awaitable but a Task (whose body would have to run), with an awaiter to
// be had from an lvalue.
template <class A>
inline constexpr bool kAskableNow = !kIsTask<std::remove_cvref_t<A>> &&
                                    requires(std::remove_reference_t<A> & a) {
  AwaiterOf(a).await_ready();
};

enum class ReadyNow { kReady, kNotReady, kCannotTell };

// Asks awaitable I; if ready, its result goes to `out` as alternative I.
template <size_t I, class Result, class T>
ReadyNow AskNow(T& awaitable, std::optional<Result>& out) {
  if constexpr (!kAskableNow<T&>) {
    return ReadyNow::kCannotTell;
  } else {
    decltype(auto) awaiter = AwaiterOf(awaitable);
    if (!awaiter.await_ready()) return ReadyNow::kNotReady;
    if constexpr (std::is_void_v<decltype(awaiter.await_resume())>) {
      awaiter.await_resume();
      out.emplace(std::in_place_index<I>, std::monostate{});
    } else {
      out.emplace(std::in_place_index<I>, awaiter.await_resume());
    }
    return ReadyNow::kReady;
  }
}

// The fast path: asks the awaitables in a round's order, and stops at the
// first that is ready (its result) or that cannot be asked (nullopt: it
// might be the first to finish, so the branches must run).
template <class Result, class Awaitables, size_t... I>
std::optional<Result> FirstReadyNow(bool biased, Awaitables& awaitables,
                                    std::index_sequence<I...>) {
  constexpr size_t n = sizeof...(I);
  std::optional<Result> out;
  const size_t start = biased ? 0 : FairStart(n);
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (start + k) % n;
    ReadyNow now = ReadyNow::kNotReady;
    ((i == I ? (void)(now = AskNow<I>(std::get<I>(awaitables), out)) : void()),
     ...);
    if (now == ReadyNow::kReady) return out;
    if (now == ReadyNow::kCannotTell) break;
  }
  return std::nullopt;
}

// What Select returns: an awaitable holding the awaitables (`A`: T moved
// in, or T& for an lvalue). Awaited, it first asks them, in the round's
// order, whether one is ready now, without building a branch: then that is
// the answer, the others were never awaited, and nothing was allocated
// (tokio's select! polls each branch once before it parks, to the same
// effect). Otherwise each becomes a branch, driven by a Task it awaits as
// any child (SelectTasks). Movable until awaited.
template <class... A>
class [[nodiscard]] [[gnu::warn_unused]] SelectAwaitable {
  static_assert(((!kIsTask<std::remove_cvref_t<A>> ||
                  !std::is_lvalue_reference_v<A>)&&...),
                "pass a Task to Select with std::move: it takes it over");

 public:
  using Result = SelectResult<BranchValue<A>...>;

  template <class... Args>
  explicit SelectAwaitable(bool biased, Args&&... awaitables)
      : biased_(biased), awaitables_(std::forward<Args>(awaitables)...) {}
  SelectAwaitable(SelectAwaitable&&) = default;
  SelectAwaitable& operator=(SelectAwaitable&&) = delete;
  ~SelectAwaitable() {
    if (driver_) DestroyOwnedFrame(driver_);
  }

  bool await_ready() {
    if (!coop::HasBudget()) return false;  // await_ready could not say yes
    now_ = FirstReadyNow<Result>(biased_, awaitables_,
                                 std::index_sequence_for<A...>{});
    return now_.has_value();
  }
  void await_suspend(std::coroutine_handle<> parent) {
    driver_ = MakeDriver(std::index_sequence_for<A...>{}).Release();
    driver_.promise().set_continuation(parent);
    tls_context.next = driver_;  // as Task's awaiter: the executor runs it
  }
  Result await_resume() {
    if (now_) return std::move(*now_);
    return driver_.promise().TakeResult();
  }

 private:
  template <size_t... I>
  Task<Result> MakeDriver(std::index_sequence<I...>) {
    return SelectTasks(biased_, BranchTask<A>(std::get<I>(awaitables_))...);
  }

  bool biased_;
  std::tuple<A...> awaitables_;
  std::optional<Result> now_;
  typename Task<Result>::Handle driver_;
};

}  // namespace internal

template <class... A>
auto Select(A&&... awaitables) {
  static_assert(sizeof...(A) > 0, "Select needs something to wait for");
  return internal::SelectAwaitable<A...>(/*biased=*/false,
                                         std::forward<A>(awaitables)...);
}

template <class... A>
auto SelectBiased(A&&... awaitables) {
  static_assert(sizeof...(A) > 0, "Select needs something to wait for");
  return internal::SelectAwaitable<A...>(/*biased=*/true,
                                         std::forward<A>(awaitables)...);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_TASK_SELECT_H_
