// ConnectionTracker: how many connections are open, so that a graceful stop
// can wait for them to finish (examples/echo.cc).
//
// The count lives in state shared with every connection's guard: a
// connection still open when the server and its owner are gone is
// cancelled at runtime shutdown, and its guard must still find the count.
#ifndef WEFT_EXAMPLES_CONNECTION_TRACKER_H_
#define WEFT_EXAMPLES_CONNECTION_TRACKER_H_

#include <cstddef>
#include <memory>

#include "runtime/weft.h"

namespace weft::examples {

class ConnectionTracker {
  struct State {
    size_t open = 0;
    Notify idle;
  };

 public:
  // Held by a connection's task for as long as it runs; its destructor runs
  // on completion and on cancellation alike.
  class Guard {
   public:
    explicit Guard(const ConnectionTracker& t) : state_(t.state_) {
      ++state_->open;
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (--state_->open == 0) state_->idle.NotifyWaiters();
    }

   private:
    std::shared_ptr<State> state_;
  };

  size_t open() const { return state_->open; }
  // Completes once no connection is open.
  Task<> WaitIdle() {
    std::shared_ptr<State> state = state_;  // the frame keeps it alive
    while (state->open > 0) co_await state->idle.Notified();
  }

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_CONNECTION_TRACKER_H_
