// The cooperative budget: why one busy task cannot starve the others.
//
// The executor gives a task kBudget units each time it resumes it. A leaf
// awaitable that could complete without suspending (data already readable,
// a join handle already finished) spends one unit; when none are left it
// suspends anyway and requeues its task at the back of the run queue, so the
// other tasks and the reactor get their turn. tokio's coop module does the
// same with the same number.
#ifndef WEFT_RUNTIME_TASK_COOP_H_
#define WEFT_RUNTIME_TASK_COOP_H_

#include "runtime/task/context.h"

namespace weft::internal::coop {

inline constexpr int kBudget = 128;

// Spends one unit if any is left. Returns false when the task must yield.
inline bool TryConsume() {
  if (tls_context.budget <= 0) return false;
  --tls_context.budget;
  return true;
}

// Whether a unit is left, without spending it.
inline bool HasBudget() { return tls_context.budget > 0; }

}  // namespace weft::internal::coop

#endif  // WEFT_RUNTIME_TASK_COOP_H_
