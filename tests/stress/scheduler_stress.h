// The scheduler stress world, shared by the seeded test
// (tests/stress_test.cc) and the fuzzer (tests/fuzz/scheduler_fuzzer.cc).
//
// A run spawns `tasks` tasks; each picks operations from a stream of
// numbers: spawn a child, join one, abort one, drop a handle, yield, sleep
// (paused clock), advance the paused clock, notify or wait on a Notify
// (with a timeout, so nothing can wait forever; sometimes yielding first),
// be woken by a helper std::thread through a Waker, or throw; lock the
// Mutex or take Semaphore permits across an await, send on or receive from
// a bounded mpsc channel (each with a timeout, so nothing waits forever), or
// Select over a receive, a permit, a notification and a sleep. The
// seeded test draws the numbers from a PRNG; the fuzzer from its input bytes.
// Either way the run reports what it saw, and the invariants are:
//   * each task ends exactly once: completed, failed or cancelled;
//   * nothing runs after its task ended (a guard's destructor marks the end;
//     every step checks its own task is not marked);
//   * no wake is lost: every task not aborted finishes (else: a hang, which
//     the caller's timeout turns into a failure);
//   * every frame is destroyed by shutdown (constructor/destructor counts);
//   * a join result is a value, `cancelled` or `failed`, nothing else;
//   * the mutex has one holder at most, the semaphore's 3 permits are never
//     over-held, and every message the channel accepted is received once.
#ifndef WEFT_TESTS_STRESS_SCHEDULER_STRESS_H_
#define WEFT_TESTS_STRESS_SCHEDULER_STRESS_H_

#include <cstdint>
#include <functional>
#include <string>

namespace weft::stress {

struct Report {
  int tasks = 0;        // tasks spawned
  int never_ended = 0;  // tasks whose guard was never destroyed
  int alive = 0;        // frames left after the runtime was destroyed
  int ended_twice = 0;
  int ran_after_end = 0;
  int bad_join_results = 0;
  int lock_violations = 0;  // mutex or semaphore over-held; a message lost

  bool ok() const {
    return never_ended == 0 && alive == 0 && ended_twice == 0 &&
           ran_after_end == 0 && bad_join_results == 0 && lock_violations == 0;
  }
  std::string ToString() const;
};

// Runs one world of `tasks` tasks to the end, on a fresh Runtime. `next`
// supplies the operation stream; it is called only on the runtime's thread.
Report Run(std::function<uint64_t()> next, int tasks);

}  // namespace weft::stress

#endif  // WEFT_TESTS_STRESS_SCHEDULER_STRESS_H_
