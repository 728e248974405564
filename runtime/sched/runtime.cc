#include "runtime/sched/runtime.h"

#include <stdexcept>

namespace weft {

Runtime::Runtime(RuntimeOptions options)
    : executor_(
          std::make_unique<internal::Executor>(internal::BlockingPoolOptions{
              options.max_blocking_threads, options.blocking_keep_alive,
              options.blocking_shutdown_timeout})) {}

Runtime::~Runtime() = default;  // ~Executor shuts down and frees everything

Runtime::Handle Runtime::Current() {
  return Handle(internal::CurrentExecutor("weft::Runtime::Current").remote());
}

Runtime::Enter::Enter(internal::Executor* executor) : executor_(executor) {
  if (internal::tls_context.executor != nullptr) {
    throw std::logic_error(
        "weft: Runtime::BlockOn called from inside a runtime; a task cannot "
        "block its own thread. Spawn the work, or co_await it, instead");
  }
  internal::SwapCurrentExecutor(executor_);
}

Runtime::Enter::~Enter() { internal::SwapCurrentExecutor(nullptr); }

}  // namespace weft
