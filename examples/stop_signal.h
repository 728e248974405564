// StopSignal: the first SIGINT (Ctrl-C) or SIGTERM, which is how the example
// servers are told to stop gracefully (echo.cc, mini_redis/main.cc).
//
//   absl::StatusOr<StopSignal> stop = StopSignal::Listen();  // first thing
//   ...
//   int signo = co_await stop->Wait();
#ifndef WEFT_EXAMPLES_STOP_SIGNAL_H_
#define WEFT_EXAMPLES_STOP_SIGNAL_H_

#include <signal.h>

#include <utility>

#include "absl/status/statusor.h"
#include "runtime/weft.h"

namespace weft::examples {

class StopSignal {
 public:
  // Listens from now on, so call it before anything else runs: a signal
  // that comes before Wait() is awaited is not lost.
  static absl::StatusOr<StopSignal> Listen() {
    absl::StatusOr<Signal> sigint = Signal::Listen(SIGINT);
    if (!sigint.ok()) return sigint.status();
    absl::StatusOr<Signal> sigterm = Signal::Listen(SIGTERM);
    if (!sigterm.ok()) return sigterm.status();
    return StopSignal(*std::move(sigint), *std::move(sigterm));
  }

  // Completes at the first of the two, with its number.
  Task<int> Wait() {
    auto first = co_await Select(sigint_.Recv(), sigterm_.Recv());
    co_return first.index() == 0 ? SIGINT : SIGTERM;
  }

 private:
  StopSignal(Signal sigint, Signal sigterm)
      : sigint_(std::move(sigint)), sigterm_(std::move(sigterm)) {}
  Signal sigint_;
  Signal sigterm_;
};

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_STOP_SIGNAL_H_
