// The whole public runtime API in one include.
#ifndef WEFT_RUNTIME_WEFT_H_
#define WEFT_RUNTIME_WEFT_H_

#include "runtime/io/async_fd.h"
#include "runtime/sched/join_set.h"
#include "runtime/sched/runtime.h"
#include "runtime/sched/spawn.h"
#include "runtime/sched/spawn_blocking.h"
#include "runtime/signal/signal.h"
#include "runtime/status_macros.h"
#include "runtime/sync/barrier.h"
#include "runtime/sync/broadcast.h"
#include "runtime/sync/mpsc.h"
#include "runtime/sync/mutex.h"
#include "runtime/sync/notify.h"
#include "runtime/sync/once_cell.h"
#include "runtime/sync/oneshot.h"
#include "runtime/sync/rw_lock.h"
#include "runtime/sync/semaphore.h"
#include "runtime/sync/watch.h"
#include "runtime/task/abort_handle.h"
#include "runtime/task/join.h"
#include "runtime/task/join_error.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/poll_fn.h"
#include "runtime/task/select.h"
#include "runtime/task/task.h"
#include "runtime/task/waker.h"
#include "runtime/task/yield_now.h"
#include "runtime/time/sleep.h"
#include "runtime/time/time.h"

#endif  // WEFT_RUNTIME_WEFT_H_
