// TaskCell: one spawned task's heap cell, typed by its output.
//
//   TaskHeader (task_header.h)   state, queue links, frame, resume point
//   TaskCell<T>                  + the output slot a JoinHandle<T> reads
//   TaskCellWithFn<T, Fn>        + the callable the task was made from
//
// Spawn(callable, args...) keeps the callable and its arguments in the cell,
// so a lambda's captures live exactly as long as the coroutine that refers to
// them: they are destroyed right after the frame (finish or cancel).
#ifndef WEFT_RUNTIME_TASK_CELL_H_
#define WEFT_RUNTIME_TASK_CELL_H_

#include <exception>
#include <functional>
#include <optional>
#include <tuple>
#include <utility>

#include "runtime/join_error.h"
#include "runtime/task.h"
#include "runtime/task_header.h"

namespace weft::internal {

template <class T>
class TaskCell : public TaskHeader {
 public:
  TaskCell(RemoteQueue* remote, Task<T> task) : TaskHeader(remote) {
    root = std::move(task).Release();
  }

  // Runtime thread; only after the task completed and only once.
  JoinResult<T> TakeOutput() {
    JoinResult<T> out = std::move(*output_);
    output_.reset();
    return out;
  }
  bool HasOutput() const { return output_.has_value(); }
  // The JoinHandle was dropped after completion. Any thread (join protocol).
  void ClearOutput() { output_.reset(); }

 protected:
  // For TaskCellWithFn, which makes the task after its callable is stored.
  explicit TaskCell(RemoteQueue* remote) : TaskHeader(remote) {}

 private:
  using Handle = typename Task<T>::Handle;

  void StoreOutput() override {
    auto& promise = Handle::from_address(root.address()).promise();
    if (promise.exception()) {
      output_.emplace(JoinError::Failed(promise.exception()));
    } else if constexpr (std::is_void_v<T>) {
      output_.emplace();
    } else {
      output_.emplace(promise.TakeResult());
    }
    DestroyFrame();
  }

  void StoreCancelled() override { output_.emplace(JoinError::Cancelled()); }

  std::exception_ptr DropOutput() override {
    std::exception_ptr failure;
    if (output_ && !output_->ok()) failure = output_->error().exception();
    output_.reset();
    return failure;
  }

  std::optional<JoinResult<T>> output_;
};

template <class T, class Fn, class... Args>
class TaskCellWithFn final : public TaskCell<T> {
 public:
  template <class F, class... A>
  TaskCellWithFn(RemoteQueue* remote, F&& fn, A&&... args)
      : TaskCell<T>(remote) {
    factory_.emplace(std::forward<F>(fn), std::forward<A>(args)...);
    // The callable is invoked as an lvalue, so a lambda's captures stay in
    // factory_; the arguments are passed as rvalues (as std::thread does):
    // moved into by-value parameters, or bound to const& parameters that
    // then refer into factory_. Either way they outlive the frame.
    this->root =
        std::apply(
            [](Fn& f, Args&... a) { return std::invoke(f, std::move(a)...); },
            *factory_)
            .Release();
  }

 private:
  void DropFactory() override { factory_.reset(); }

  std::optional<std::tuple<Fn, Args...>> factory_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_TASK_CELL_H_
