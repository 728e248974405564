// The whole public runtime API in one include.
#ifndef WEFT_RUNTIME_WEFT_H_
#define WEFT_RUNTIME_WEFT_H_

#include "runtime/abort_handle.h"
#include "runtime/async_fd.h"
#include "runtime/join_error.h"
#include "runtime/join_handle.h"
#include "runtime/notify.h"
#include "runtime/poll_fn.h"
#include "runtime/runtime.h"
#include "runtime/signal.h"
#include "runtime/sleep.h"
#include "runtime/spawn.h"
#include "runtime/spawn_blocking.h"
#include "runtime/status_macros.h"
#include "runtime/task.h"
#include "runtime/time.h"
#include "runtime/waker.h"
#include "runtime/yield_now.h"

#endif  // WEFT_RUNTIME_WEFT_H_
