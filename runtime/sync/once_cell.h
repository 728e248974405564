// OnceCell<T>: a value set once, by whichever task gets there first
// (tokio's sync::OnceCell).
//
//   weft::OnceCell<Config> config;
//   const Config& c = co_await config.GetOrInit(LoadConfig);
//
// GetOrInit runs its initializer exactly once however many tasks ask at
// the same time: the first runs it, the others wait and then share the
// value (a Semaphore of one permit decides who, as in tokio). An
// initializer that throws, or whose task is cancelled, sets nothing: the
// next waiter runs its own.
//
// Threads: Get() and the await may be used from any thread's tasks once
// the value is set; the cell must outlive them.
#ifndef WEFT_RUNTIME_SYNC_ONCE_CELL_H_
#define WEFT_RUNTIME_SYNC_ONCE_CELL_H_

#include <atomic>
#include <functional>
#include <optional>
#include <utility>

#include "runtime/sync/semaphore.h"
#include "runtime/task/task.h"

namespace weft {

template <class T>
class OnceCell {
 public:
  OnceCell() = default;
  OnceCell(const OnceCell&) = delete;
  OnceCell& operator=(const OnceCell&) = delete;

  // The value, if set.
  const T* Get() const {
    return set_.load(std::memory_order_acquire) ? &*value_ : nullptr;
  }

  // Sets the value unless one is set or being initialized; false if not.
  bool Set(T value) {
    absl::StatusOr<Semaphore::Permit> permit = gate_.TryAcquire();
    if (!permit.ok()) return false;
    Publish(std::move(value));
    return true;
  }

  // The value, set first by `init` (a callable returning Task<T>) if
  // nobody has. `init` is called at most once per cell, unless it fails.
  // The cell must outlive the returned task.
  template <class Init>
  Task<std::reference_wrapper<const T>> GetOrInit(Init init) {
    if (const T* value = Get()) co_return std::cref(*value);
    absl::StatusOr<Semaphore::Permit> permit = co_await gate_.Acquire();
    // Closed: another initializer finished while this one waited.
    if (!permit.ok() || Get() != nullptr) co_return std::cref(*Get());
    T value = co_await init();  // throws or is cancelled: the permit goes
    Publish(std::move(value));  // back, and the next waiter tries
    co_return std::cref(*Get());
  }

 private:
  void Publish(T value) {
    value_.emplace(std::move(value));
    set_.store(true, std::memory_order_release);
    gate_.Close();  // later and waiting GetOrInit calls find the value
  }

  Semaphore gate_{1, "OnceCell"};  // says so if destroyed while waited on
  std::optional<T> value_;
  std::atomic<bool> set_{false};
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SYNC_ONCE_CELL_H_
