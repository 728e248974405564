// The runtime benchmark jobs (runtime_jobs.cc), shared by the benchmark
// binary and its test.
#ifndef WEFT_TOOLS_BENCH_RUNTIME_JOBS_H_
#define WEFT_TOOLS_BENCH_RUNTIME_JOBS_H_

#include <functional>
#include <map>
#include <string>

namespace weft::bench {

// "weft_<job>" and "floor_<job>" for each job: run it n times, return a
// checksum that is the same for both implementations.
const std::map<std::string, std::function<long(int)>>& Ops();

// Resident bytes per parked task, over n parked tasks. The floor and weft
// park the same way (a waker left in a slot); weft's tasks parked on a
// Notify also carry its waiter node.
double WeftParkedBytes(int n);
double FloorParkedBytes(int n);
double WeftParkedOnNotifyBytes(int n);

}  // namespace weft::bench

#endif  // WEFT_TOOLS_BENCH_RUNTIME_JOBS_H_
