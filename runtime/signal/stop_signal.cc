#include "runtime/signal/stop_signal.h"

#include <signal.h>

#include <utility>

#include "absl/status/statusor.h"
#include "runtime/task/select.h"

namespace weft {

absl::StatusOr<StopSignal> StopSignal::Listen() {
  absl::StatusOr<Signal> sigint = Signal::Listen(SIGINT);
  if (!sigint.ok()) return sigint.status();
  absl::StatusOr<Signal> sigterm = Signal::Listen(SIGTERM);
  if (!sigterm.ok()) return sigterm.status();
  return StopSignal(*std::move(sigint), *std::move(sigterm));
}

Task<int> StopSignal::Wait() {
  auto first = co_await Select(sigint_.Recv(), sigterm_.Recv());
  co_return first.index() == 0 ? SIGINT : SIGTERM;
}

}  // namespace weft
