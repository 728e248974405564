// StopSignal: how a server is told to stop: SIGINT (Ctrl-C) or SIGTERM,
// whichever comes, each time one comes.
//
//   absl::StatusOr<weft::StopSignal> stop = weft::StopSignal::Listen();
//   if (!stop.ok()) co_return stop.status();
//   weft::TaskTracker tracker;            // serves meanwhile, until
//   int signo = co_await stop->Wait();    // the first: stop gracefully
//   tracker.Close();
//   auto forced = co_await weft::Select(tracker.Wait(), stop->Wait());
//   if (forced.index() == 1) { /* a second signal: stop now */ }
//
// Listen() starts listening at once (Signal::Listen, signal.h), so call
// it first thing on the runtime thread: a signal that comes before Wait()
// is awaited is kept, not lost, and neither is one that comes while the
// program winds down. Each Wait() completes at the next delivery of
// either signal after the last one it reported, so the second Wait() is
// the "press Ctrl-C again to quit now" that tokio programs write with two
// ctrl_c() awaits. Cancel-safe: a Wait() dropped in a lost Select branch
// loses no delivery.
#ifndef WEFT_RUNTIME_SIGNAL_STOP_SIGNAL_H_
#define WEFT_RUNTIME_SIGNAL_STOP_SIGNAL_H_

#include <utility>

#include "absl/status/statusor.h"
#include "runtime/signal/signal.h"
#include "runtime/task/task.h"

namespace weft {

class StopSignal {
 public:
  // Errors name the signal (Signal::Listen).
  static absl::StatusOr<StopSignal> Listen();

  // Completes at the next SIGINT or SIGTERM, with its number.
  Task<int> Wait();

 private:
  StopSignal(Signal sigint, Signal sigterm)
      : sigint_(std::move(sigint)), sigterm_(std::move(sigterm)) {}

  Signal sigint_;
  Signal sigterm_;
};

}  // namespace weft

#endif  // WEFT_RUNTIME_SIGNAL_STOP_SIGNAL_H_
