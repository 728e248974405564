#include "runtime/blocking/blocking_pool.h"

#include <pthread.h>
#include <signal.h>

#include <thread>
#include <utility>

namespace weft::internal {
namespace {

// Starts a thread with every asynchronous signal blocked.
//
// Why: a process-directed signal goes to any thread that does not block
// it. weft receives signals through signalfd (signal.cc), which sees only
// signals that stay pending because every thread blocks them; Listen()
// blocks its signal on the runtime's thread, and threads inherit the mask
// of the thread that creates them. A pool thread made before Listen() (by
// SpawnBlocking, or a Connect that resolves a name) would otherwise take
// the signal with its default action: SIGTERM killed the process. So
// weft's threads never take an asynchronous signal, whatever the order of
// calls; the faults a thread raises itself (SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGTRAP, SIGSYS) stay unblocked, so a crash is still a crash.
template <class F>
void StartThreadWithSignalsBlocked(F body) {
  sigset_t all, before;
  sigfillset(&all);
  for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) {
    sigdelset(&all, fault);
  }
  pthread_sigmask(SIG_BLOCK, &all, &before);
  std::thread(std::move(body)).detach();
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

}  // namespace

BlockingPool::BlockingPool(BlockingPoolOptions options)
    : shared_(std::make_shared<Shared>(options)) {}

BlockingPool::~BlockingPool() {
  std::deque<Job> not_started;
  std::unique_lock<std::mutex> lock(shared_->mu);
  shared_->shutdown = true;
  not_started.swap(shared_->queue);
  shared_->work.notify_all();
  shared_->exited.wait_for(lock, shared_->options.shutdown_timeout,
                           [&] { return shared_->threads == 0; });
  lock.unlock();
  // Destroyed outside the lock: dropping a job drops its task's waker.
  not_started.clear();
}

void BlockingPool::Submit(Job job) {
  std::unique_lock<std::mutex> lock(shared_->mu);
  if (shared_->shutdown) {
    lock.unlock();
    return;  // the runtime is going away: `job` is dropped, never run
  }
  shared_->queue.push_back(std::move(job));
  if (shared_->idle > 0) {
    shared_->work.notify_one();
    return;
  }
  if (shared_->threads < shared_->options.max_threads) {
    ++shared_->threads;
    if (shared_->threads > shared_->peak) shared_->peak = shared_->threads;
    StartThreadWithSignalsBlocked([shared = shared_] { Worker(shared); });
  }
  // Else at the cap: the job waits for a thread to come free.
}

void BlockingPool::Worker(std::shared_ptr<Shared> shared) {
  std::unique_lock<std::mutex> lock(shared->mu);
  for (;;) {
    while (shared->queue.empty() && !shared->shutdown) {
      ++shared->idle;
      const bool woken = shared->work.wait_for(
          lock, shared->options.keep_alive,
          [&] { return !shared->queue.empty() || shared->shutdown; });
      --shared->idle;
      if (!woken) break;  // idle for keep_alive: this thread retires
    }
    if (shared->queue.empty()) break;  // retired, or shut down
    Job job = std::move(shared->queue.front());
    shared->queue.pop_front();
    lock.unlock();
    std::move(job)();
    job = nullptr;  // destroyed outside the lock
    lock.lock();
  }
  --shared->threads;
  shared->exited.notify_all();
}

size_t BlockingPool::threads() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->threads;
}

size_t BlockingPool::peak_threads() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->peak;
}

}  // namespace weft::internal
