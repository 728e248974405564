// Signal: Unix signals as something a task can await (tokio::signal).
//
//   auto sigterm = Signal::Listen(SIGTERM);      // start listening now
//   co_await sigterm->Recv();                    // the next delivery
//   co_await CtrlC();                            // the next SIGINT
//
// Listen() blocks the signal on the calling (runtime) thread and reads it
// from a signalfd registered with the reactor, so delivery is an ordinary
// readiness event: no handler runs at an arbitrary point. Every listener of
// a signal receives every delivery; deliveries that arrive while a listener
// is not waiting coalesce into one, as in tokio.
//
// Threads: a process-directed signal goes to any thread that does not block
// it. Threads created after Listen() (the blocking pool's, say) inherit the
// blocked mask; a thread started before must block the signal itself, or
// it may receive the signal's default action instead. The signal stays
// blocked on the runtime thread after the runtime is gone.
#ifndef WEFT_RUNTIME_SIGNAL_SIGNAL_H_
#define WEFT_RUNTIME_SIGNAL_SIGNAL_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "runtime/task/task.h"

namespace weft {
namespace internal {
struct SignalSlot;
}  // namespace internal

class Signal {
 public:
  // Starts listening on the current runtime. Errors name the signal.
  static absl::StatusOr<Signal> Listen(int signo);

  // Completes at the next delivery after the last one this listener saw
  // (or after Listen()).
  Task<> Recv();
  int signo() const { return signo_; }

 private:
  Signal(int signo, internal::SignalSlot* slot, uint64_t seen)
      : signo_(signo), slot_(slot), seen_(seen) {}

  int signo_;
  internal::SignalSlot* slot_;  // owned by the runtime
  uint64_t seen_;
};

// Completes at the next SIGINT (Ctrl-C) after the call.
Task<> CtrlC();

}  // namespace weft

#endif  // WEFT_RUNTIME_SIGNAL_SIGNAL_H_
