#include "runtime/sleep.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/coop.h"
#include "runtime/executor.h"
#include "runtime/park.h"

namespace weft {

Instant internal::Now() {
  Executor* executor = tls_context.executor;
  return executor != nullptr ? executor->time().Now() : Clock::now();
}

bool SleepUntil::await_ready() {
  return entry_.deadline <= internal::Now() && internal::coop::TryConsume();
}

void SleepUntil::await_suspend(std::coroutine_handle<> self) {
  internal::TaskHeader& task = internal::Park(self, "Sleep");
  if (entry_.deadline <= internal::Now()) {
    internal::YieldTo(task);  // due, but the budget is spent
    return;
  }
  entry_.waker = internal::WakerFor(task);
  internal::CurrentExecutor("Sleep").timers().Insert(&entry_);
  // Resume only once fired (disarmed): a stray wake leaves it parked.
  ready = [](const internal::ReadyCheck* self) {
    return !static_cast<const SleepUntil*>(self)->entry_.armed();
  };
  task.ready_check = this;
}

SleepUntil::SleepUntil(SleepUntil&& other) noexcept {
  if (other.entry_.armed()) {
    std::fprintf(stderr, "weft: a Sleep moved after it was awaited\n");
    std::abort();
  }
  entry_.deadline = other.entry_.deadline;
}

SleepUntil::~SleepUntil() {
  if (entry_.armed()) {
    internal::CurrentExecutor("~Sleep").timers().Remove(&entry_);
  }
}

}  // namespace weft
