// The thread-local context: which runtime and which task this thread is in.
//
// BlockOn() installs its executor here for as long as it drives the loop;
// the executor installs the task it resumes, and resets the cooperative
// budget (coop.h), before each resume. Spawn(), leaf awaitables and wakers
// read it; nothing else does.
#ifndef WEFT_RUNTIME_CONTEXT_H_
#define WEFT_RUNTIME_CONTEXT_H_

#include <coroutine>

namespace weft::internal {

class Executor;
class RemoteQueue;
class TaskHeader;

struct Context {
  Executor* executor = nullptr;
  // `executor`'s remote queue (null with no executor), set with it by
  // SwapCurrentExecutor (executor.h): a task is this thread's to queue
  // locally exactly when its remote queue is this one, one compare.
  const RemoteQueue* remote = nullptr;
  TaskHeader* task = nullptr;
  // The trampoline register: a coroutine that just suspended names here the
  // one to resume next (a child it awaits, or the parent it returns to).
  std::coroutine_handle<> next;
  // While DestroyChain (task.h) destroys a frame: that frame's awaited
  // child, which it destroyed just before, so the awaiter owning it skips
  // it (DestroyOwnedFrame).
  std::coroutine_handle<> destroyed_child;
  // Units of work the current task may still do without yielding (coop.h).
  int budget = 0;
};

// initial-exec: every access is one %fs-relative load instead of a call to
// __tls_get_addr (what -fPIC code gets by default). Valid because weft is
// linked into the program, not dlopen()ed.
inline thread_local constinit Context tls_context
    __attribute__((tls_model("initial-exec"))){};

[[noreturn]] void NoRuntime(const char* operation);
[[noreturn]] void NoTask(const char* operation) noexcept;

// The executor driving this thread. Throws std::logic_error naming
// `operation` when there is none (called outside Runtime::BlockOn).
inline Executor& CurrentExecutor(const char* operation) {
  if (tls_context.executor == nullptr) [[unlikely]]
    NoRuntime(operation);
  return *tls_context.executor;
}

// The task being polled on this thread. With none (a weft awaitable awaited
// by a coroutine that no weft runtime runs), aborts with a message naming
// `operation`, as the executor does for the converse mistake
// (Executor::NotResumable). Not an exception: every leaf awaitable calls
// this, and a call that may throw gives the coroutine awaiting the leaf a
// landing pad, and with it saved registers on every resume, even where
// nothing else in its body can throw.
inline TaskHeader& CurrentTask(const char* operation) {
  if (tls_context.task == nullptr) [[unlikely]]
    NoTask(operation);
  return *tls_context.task;
}

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_CONTEXT_H_
