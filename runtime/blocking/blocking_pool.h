// BlockingPool: OS threads for work that blocks (tokio's spawn_blocking pool).
//
// A task must never block its thread: every other task on the runtime would
// stall with it. Work that blocks (a blocking syscall, getaddrinfo, a CPU-
// heavy loop) goes here instead, through SpawnBlocking (spawn_blocking.h).
//
// Threads are created on demand, up to max_threads; a thread with no job
// for keep_alive exits. Jobs beyond the cap wait in FIFO order. Destroying
// the pool (runtime shutdown) drops the jobs not started yet and waits up to
// shutdown_timeout for the running ones; threads still busy after that are
// left to finish on their own (they own the shared state they touch).
#ifndef WEFT_RUNTIME_BLOCKING_BLOCKING_POOL_H_
#define WEFT_RUNTIME_BLOCKING_BLOCKING_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "absl/functional/any_invocable.h"

namespace weft::internal {

struct BlockingPoolOptions {
  size_t max_threads = 512;
  std::chrono::steady_clock::duration keep_alive = std::chrono::seconds(10);
  std::chrono::steady_clock::duration shutdown_timeout =
      std::chrono::seconds(10);
};

class BlockingPool {
 public:
  using Job = absl::AnyInvocable<void() &&>;

  explicit BlockingPool(BlockingPoolOptions options);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Any thread. The job must not throw.
  void Submit(Job job);

  // Jobs a task waits for (SpawnBlocking: from submit until its awaiter
  // goes). While any is, a paused clock does not jump ahead (Executor::
  // Drive): their results are still to come. Runtime thread only.
  void AddPending(int delta) { pending_jobs_ += delta; }
  int pending_jobs() const { return pending_jobs_; }

  // For tests and tools: threads alive now, and the most ever alive at once.
  size_t threads() const;
  size_t peak_threads() const;

 private:
  // Shared with the worker threads, which may outlive the pool.
  struct Shared {
    explicit Shared(BlockingPoolOptions o) : options(o) {}
    const BlockingPoolOptions options;
    mutable std::mutex mu;
    std::condition_variable work;    // a job was queued, or shutdown
    std::condition_variable exited;  // a worker thread ended
    std::deque<Job> queue;           // guarded by mu
    size_t threads = 0;              // guarded by mu
    size_t idle = 0;                 // guarded by mu
    size_t peak = 0;                 // guarded by mu
    bool shutdown = false;           // guarded by mu
  };
  static void Worker(std::shared_ptr<Shared> shared);

  std::shared_ptr<Shared> shared_;
  int pending_jobs_ = 0;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_BLOCKING_BLOCKING_POOL_H_
