// Spawn: hand a task to the runtime and get a JoinHandle back.
//
//   weft::Spawn(Serve(std::move(socket)));                  // a Task<T>
//   weft::Spawn([conn = std::move(conn)]() -> Task<> {...}); // a callable
//   weft::Spawn(Handle, std::move(socket), config);          // + arguments
//
// The task is queued and runs concurrently with the spawner, which carries
// on at once; nothing runs until the spawner parks or yields.
//
// The callable form keeps the callable and its arguments inside the task's
// cell until the coroutine is destroyed. A coroutine lambda's captures live in
// the lambda object, not in the frame, so `Spawn(lambda())` would leave the
// frame pointing at a dead temporary; `Spawn(lambda)` cannot.
//
// Called with no runtime on the thread, Spawn throws std::logic_error.
#ifndef WEFT_RUNTIME_SPAWN_H_
#define WEFT_RUNTIME_SPAWN_H_

#include <concepts>
#include <functional>
#include <type_traits>
#include <utility>

#include "runtime/context.h"
#include "runtime/executor.h"
#include "runtime/join_handle.h"
#include "runtime/task.h"
#include "runtime/task_cell.h"

namespace weft {

namespace internal {

template <class T>
JoinHandle<T> SpawnOn(Executor& executor, Task<T> task) {
  auto* cell = new TaskCell<T>(executor.remote(), std::move(task));
  executor.Bind(cell);
  return JoinHandle<T>(cell);
}

// A callable that, called (as an lvalue) with its stored arguments as
// rvalues, returns a Task: what Spawn(fn, args...) accepts.
// (clang-format 14 mangles concept definitions.)
// clang-format off
template <class F, class... Args>
concept TaskFactory =
    std::invocable<std::decay_t<F>&, std::decay_t<Args>&&...> &&
    kIsTask<std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&&...>>;
// clang-format on

template <class F, class... Args>
requires TaskFactory<F, Args...>
auto SpawnOn(Executor& executor, F&& fn, Args&&... args) {
  using TaskType =
      std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&&...>;
  using T = typename TaskType::value_type;
  auto* cell = new TaskCellWithFn<T, std::decay_t<F>, std::decay_t<Args>...>(
      executor.remote(), std::forward<F>(fn), std::forward<Args>(args)...);
  executor.Bind(cell);
  return JoinHandle<T>(cell);
}

}  // namespace internal

template <class T>
JoinHandle<T> Spawn(Task<T> task) {
  return internal::SpawnOn(internal::CurrentExecutor("weft::Spawn"),
                           std::move(task));
}

template <class F, class... Args>
requires internal::TaskFactory<F, Args...>
auto Spawn(F&& fn, Args&&... args) {
  return internal::SpawnOn(internal::CurrentExecutor("weft::Spawn"),
                           std::forward<F>(fn), std::forward<Args>(args)...);
}

}  // namespace weft

#endif  // WEFT_RUNTIME_SPAWN_H_
