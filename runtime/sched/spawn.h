// Spawn: hand a task to the runtime and get a JoinHandle back.
//
//   weft::Spawn(Serve(std::move(stream)));  // a Task<T>
//   weft::Spawn([stream = std::move(stream)]() mutable -> Task<> {
//     co_await Echo(std::move(stream));      // a callable, kept alive
//   });
//   weft::Spawn(Serve, std::move(stream));   // a function + arguments
//
// The task is queued and runs concurrently with the spawner, which carries
// on at once; nothing runs until the spawner parks or yields.
//
// The callable form keeps the callable and its arguments alive for as long
// as the task runs (CallFactory below). A coroutine lambda's captures live
// in the lambda object, not in the frame, so calling the lambda inside the
// Spawn leaves the frame pointing at a temporary that dies at the `;`:
//
//   std::string name = "worker";
//   // Wrong: the captured `name` is gone before the task first runs.
//   //   Spawn([name]() -> Task<> { co_await Greet(name); }());
//   Spawn([name]() -> Task<> { co_await Greet(name); });  // right
//
// C++ cannot reject the wrong spelling: the call yields a plain Task<>.
//
// Called with no runtime on the thread, Spawn throws std::logic_error; from
// a thread that is not the runtime's (a std::thread, a SpawnBlocking
// closure), spawn through a Runtime::Handle (runtime.h) instead.
//
// Compilers: weft's default compiler, clang 19, compiles every spelling
// here correctly. g++ 12 does not compile this one correctly:
//
//   std::string x = "captured";
//   co_await Spawn([x]() -> Task<> { co_return; });  // unsafe on g++ 12
//   co_await SpawnBlocking([x] { return x.size(); });  // unsafe on g++ 12
//
// a lambda with by-value captures, written inside the co_await operand: it
// destroys the captures twice or never (docs/design-decisions.md, "GCC 12
// coroutine bugs"). On g++ 12, spawn in a statement of its own and await
// the handle:
//
//   std::string x = "captured";
//   JoinHandle<void> handle = Spawn([x]() -> Task<> { co_return; });
//   co_await handle;
#ifndef WEFT_RUNTIME_SCHED_SPAWN_H_
#define WEFT_RUNTIME_SCHED_SPAWN_H_

#include <concepts>
#include <functional>
#include <type_traits>
#include <utility>

#include "runtime/sched/executor.h"
#include "runtime/task/context.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/task.h"
#include "runtime/task/task_cell.h"

namespace weft {

namespace internal {

template <class T>
JoinHandle<T> SpawnOn(Executor& executor, Task<T> task) {
  executor.ReserveTask();  // may throw: nothing is built yet
  auto* cell = TaskCell<T>::Attach(executor.remote(), std::move(task));
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
using FactoryTask =
    std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&&...>;

// The coroutine Spawn(fn, args...) runs. Its parameters are copies of the
// callable and the arguments, kept in its frame for as long as the task
// runs: the callable is invoked as an lvalue, so a lambda's captures stay
// here; the arguments are passed as rvalues (as std::thread does), moved
// into by-value parameters or bound to const& ones that refer in here.
//
// The result is taken in its own statement: GCC 12 mis-compiles
// `co_return co_await f(...)` with by-value coroutine parameters (a
// parameter was destroyed twice; AddressSanitizer caught it).
template <class Fn, class... Args>
FactoryTask<Fn, Args...> CallFactory(Fn fn, Args... args) {
  using T = typename FactoryTask<Fn, Args...>::value_type;
  if constexpr (std::is_void_v<T>) {
    co_await std::invoke(fn, std::move(args)...);
  } else {
    T value = co_await std::invoke(fn, std::move(args)...);
    co_return value;
  }
}

template <class F, class... Args>
requires TaskFactory<F, Args...>
auto SpawnOn(Executor& executor, F&& fn, Args&&... args) {
  return SpawnOn(executor,
                 CallFactory<std::decay_t<F>, std::decay_t<Args>...>(
                     std::forward<F>(fn), std::forward<Args>(args)...));
}

// Spawn from a thread that is not `remote`'s runtime's (Runtime::Handle):
// the cell is built here and handed over through the remote queue.
template <class T>
JoinHandle<T> SpawnRemote(RemoteQueue* remote, Task<T> task) {
  auto* cell = TaskCell<T>::Attach(remote, std::move(task));
  remote->PushSpawned(cell);
  return JoinHandle<T>(cell);  // the join reference was counted at birth
}

template <class F, class... Args>
requires TaskFactory<F, Args...>
auto SpawnRemote(RemoteQueue* remote, F&& fn, Args&&... args) {
  return SpawnRemote(remote,
                     CallFactory<std::decay_t<F>, std::decay_t<Args>...>(
                         std::forward<F>(fn), std::forward<Args>(args)...));
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

#endif  // WEFT_RUNTIME_SCHED_SPAWN_H_
