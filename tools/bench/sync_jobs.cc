// Each job mirrors the function of the same name in
// ../shared/bench/tokio_sync/src/main.rs; its README's table says what each
// one times and per what. Tasks are coroutine functions taking their state
// as parameters (copied into their frames), so no lambda capture outlives
// its object on any compiler.
#include "tools/bench/sync_jobs.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace weft::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono_literals::operator""h;

constexpr uint64_t kTasks = 100;  // contended jobs, broadcast receivers
constexpr uint64_t kThreads = 4;  // mpsc_threads producers

// Keeps `value` alive to the optimizer (benchmark::DoNotOptimize's trick).
template <class T>
void Keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

[[noreturn]] void Wrong(const std::string& bench, const std::string& what) {
  std::fprintf(stderr, "sync_bench %s: wrong result: %s\n", bench.c_str(),
               what.c_str());
  std::abort();
}

void Expect(bool ok, const char* bench, const std::string& what) {
  if (!ok) Wrong(bench, what);
}

SyncResult Done(Clock::time_point t0, uint64_t ops) {
  return {std::chrono::duration<double, std::nano>(Clock::now() - t0).count(),
          ops,
          {}};
}

uint64_t Triangle(uint64_t n) { return n * (n - 1) / 2; }

// 1. oneshot
Task<> SendOne(oneshot::Sender<uint64_t> tx, uint64_t i) {
  (void)tx.Send(i);
  co_return;
}

Task<SyncResult> Oneshot(uint64_t n) {
  const auto t0 = Clock::now();
  uint64_t sum = 0;
  for (uint64_t i = 0; i < n; ++i) {
    auto [tx, rx] = oneshot::Channel<uint64_t>();
    Spawn(SendOne(std::move(tx), i));  // detached: its handle is dropped
    std::optional<uint64_t> v = co_await rx;
    sum += *v;
  }
  SyncResult r = Done(t0, n);
  Expect(sum == Triangle(n), "oneshot", "sum");
  co_return r;
}

// 2.-5. mpsc
Task<std::pair<uint64_t, uint64_t>> Consume(mpsc::Receiver<uint64_t> rx) {
  uint64_t count = 0, sum = 0;
  while (std::optional<uint64_t> v = co_await rx.Recv()) {
    ++count;
    sum += *v;
  }
  co_return std::pair<uint64_t, uint64_t>(count, sum);
}

Task<> ProduceUnbounded(mpsc::UnboundedSender<uint64_t> tx, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    if (!tx.Send(i).ok()) Wrong("mpsc_unbounded", "closed");
  }
  co_return;
}

Task<> ProduceBounded(mpsc::Sender<uint64_t> tx, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    if (!(co_await tx.Send(i)).ok()) Wrong("mpsc_bounded", "closed");
  }
}

Task<SyncResult> MpscUnbounded(uint64_t n) {
  const auto t0 = Clock::now();
  auto [tx, rx] = mpsc::UnboundedChannel<uint64_t>();
  auto consumer = Spawn(Consume(std::move(rx)));
  auto producer = Spawn(ProduceUnbounded(std::move(tx), n));
  co_await producer;
  JoinResult<std::pair<uint64_t, uint64_t>> got = co_await consumer;
  SyncResult r = Done(t0, n);
  Expect(*got == std::pair<uint64_t, uint64_t>(n, Triangle(n)),
         "mpsc_unbounded", "count or sum");
  co_return r;
}

Task<SyncResult> MpscBounded(uint64_t n, size_t capacity) {
  const auto t0 = Clock::now();
  auto [tx, rx] = mpsc::Channel<uint64_t>(capacity);
  auto consumer = Spawn(Consume(std::move(rx)));
  auto producer = Spawn(ProduceBounded(std::move(tx), n));
  co_await producer;
  JoinResult<std::pair<uint64_t, uint64_t>> got = co_await consumer;
  SyncResult r = Done(t0, n);
  Expect(*got == std::pair<uint64_t, uint64_t>(n, Triangle(n)), "mpsc_bounded",
         "count or sum");
  co_return r;
}

Task<SyncResult> MpscThreads(uint64_t n) {
  const uint64_t per = n / kThreads;
  const auto t0 = Clock::now();
  auto [tx, rx] = mpsc::Channel<uint64_t>(1024);
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([tx = tx, per]() mutable {
      for (uint64_t i = 0; i < per; ++i) {
        if (!tx.BlockingSend(i).ok()) Wrong("mpsc_threads", "closed");
      }
    });
  }
  { mpsc::Sender<uint64_t> own = std::move(tx); }  // dropped, as tokio's
  JoinResult<std::pair<uint64_t, uint64_t>> got =
      co_await Spawn(Consume(std::move(rx)));
  for (std::thread& t : threads) t.join();
  SyncResult r = Done(t0, per * kThreads);
  Expect(*got == std::pair<uint64_t, uint64_t>(per * kThreads,
                                               kThreads * Triangle(per)),
         "mpsc_threads", "count or sum");
  co_return r;
}

// 6. broadcast
Task<uint64_t> BroadcastReceiver(broadcast::Receiver<uint64_t> rx) {
  uint64_t count = 0;
  for (;;) {
    broadcast::RecvResult<uint64_t> got = co_await rx.Recv();
    if (got.ok()) {
      Keep(got.value());
      ++count;
    } else if (got.lagged()) {
      Wrong("broadcast", "lagged");
    } else {
      break;  // closed
    }
  }
  co_return count;
}

Task<> BroadcastSender(broadcast::Sender<uint64_t> tx, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    (void)tx.Send(i);
    co_await YieldNow();
  }
}

Task<SyncResult> Broadcast(uint64_t n) {
  const auto t0 = Clock::now();
  auto [tx, first] = broadcast::Channel<uint64_t>(16);
  { broadcast::Receiver<uint64_t> unused = std::move(first); }
  std::vector<JoinHandle<uint64_t>> receivers;
  for (uint64_t i = 0; i < kTasks; ++i) {
    receivers.push_back(Spawn(BroadcastReceiver(tx.Subscribe())));
  }
  co_await Spawn(BroadcastSender(std::move(tx), n));
  uint64_t total = 0;
  for (JoinHandle<uint64_t>& h : receivers) total += *co_await h;
  SyncResult r = Done(t0, n * kTasks);
  Expect(total == n * kTasks, "broadcast", "count");
  co_return r;
}

// 7. watch
Task<std::pair<uint64_t, uint64_t>> WatchReceiver(
    watch::Receiver<uint64_t> rx) {
  uint64_t seen = 0, last = 0;
  while ((co_await rx.Changed()).ok()) {
    last = *rx.Borrow();
    ++seen;
  }
  co_return std::pair<uint64_t, uint64_t>(seen, last);
}

Task<> WatchSender(watch::Sender<uint64_t> tx, uint64_t n) {
  for (uint64_t i = 1; i <= n; ++i) {
    (void)tx.Send(i);
    co_await YieldNow();
  }
}

Task<SyncResult> Watch(uint64_t n) {
  const auto t0 = Clock::now();
  auto [tx, rx] = watch::Channel<uint64_t>(0);
  auto receiver = Spawn(WatchReceiver(std::move(rx)));
  co_await Spawn(WatchSender(std::move(tx), n));
  JoinResult<std::pair<uint64_t, uint64_t>> got = co_await receiver;
  SyncResult r = Done(t0, n);
  Expect(got->second == n, "watch", "last value");
  r.extra = absl::StrCat(" changes_observed=", got->first);
  co_return r;
}

// 8.-9. Mutex
Task<SyncResult> MutexUncontended(uint64_t n) {
  const auto t0 = Clock::now();
  Mutex<uint64_t> m(0);
  for (uint64_t i = 0; i < n; ++i) {
    auto guard = co_await m.Lock();
    *guard += 1;
    Keep(*guard);
  }
  SyncResult r = Done(t0, n);
  Expect(*co_await m.Lock() == n, "mutex_uncontended", "count");
  co_return r;
}

Task<> MutexWorker(Mutex<uint64_t>* m, uint64_t per) {
  for (uint64_t i = 0; i < per; ++i) {
    auto guard = co_await m->Lock();
    *guard += 1;
    co_await YieldNow();
  }
}

Task<SyncResult> MutexContended(uint64_t n) {
  const uint64_t per = n / kTasks;
  const auto t0 = Clock::now();
  Mutex<uint64_t> m(0);
  std::vector<JoinHandle<void>> workers;
  for (uint64_t i = 0; i < kTasks; ++i) {
    workers.push_back(Spawn(MutexWorker(&m, per)));
  }
  for (JoinHandle<void>& h : workers) co_await h;
  SyncResult r = Done(t0, per * kTasks);
  Expect(*co_await m.Lock() == per * kTasks, "mutex_contended", "count");
  co_return r;
}

// 10. Semaphore
Task<SyncResult> SemaphoreOne(uint64_t n) {
  const auto t0 = Clock::now();
  Semaphore s(1);
  for (uint64_t i = 0; i < n; ++i) {
    absl::StatusOr<Semaphore::Permit> permit = co_await s.Acquire();
    Keep(permit);
  }
  co_return Done(t0, n);
}

Task<> SemaphoreWorker(Semaphore* s, uint64_t per) {
  for (uint64_t i = 0; i < per; ++i) {
    absl::StatusOr<Semaphore::Permit> permit = co_await s->Acquire();
    co_await YieldNow();
  }
}

Task<SyncResult> SemaphoreContended(uint64_t n) {
  const uint64_t per = n / kTasks;
  const auto t0 = Clock::now();
  Semaphore s(10);
  std::vector<JoinHandle<void>> workers;
  for (uint64_t i = 0; i < kTasks; ++i) {
    workers.push_back(Spawn(SemaphoreWorker(&s, per)));
  }
  for (JoinHandle<void>& h : workers) co_await h;
  SyncResult r = Done(t0, per * kTasks);
  Expect(s.AvailablePermits() == 10, "semaphore_contended", "permits");
  co_return r;
}

// 11. JoinSet
Task<uint64_t> Leaf(uint64_t i) { co_return i; }

Task<SyncResult> JoinSetBench(uint64_t n) {
  const auto t0 = Clock::now();
  JoinSet<uint64_t> set;
  for (uint64_t i = 0; i < n; ++i) set.Spawn(Leaf(i));
  uint64_t sum = 0;
  while (std::optional<JoinResult<uint64_t>> done = co_await set.JoinNext()) {
    sum += **done;
  }
  SyncResult r = Done(t0, n);
  Expect(sum == Triangle(n), "joinset", "sum");
  co_return r;
}

// 12. Select: a ready oneshot against a Sleep of an hour, the Sleep made
// in the select every time and dropped by it. mode 0: unbiased; 1: biased,
// the oneshot first; 2: biased, the Sleep first.
Task<SyncResult> SelectBench(uint64_t n, int mode) {
  const auto t0 = Clock::now();
  uint64_t sum = 0;
  for (uint64_t i = 0; i < n; ++i) {
    auto [tx, rx] = oneshot::Channel<uint64_t>();
    (void)tx.Send(i);
    if (mode == 0) {
      auto won = co_await Select(std::move(rx), Sleep(1h));
      sum += *std::get<0>(won);
    } else if (mode == 1) {
      auto won = co_await SelectBiased(std::move(rx), Sleep(1h));
      sum += *std::get<0>(won);
    } else {
      auto won = co_await SelectBiased(Sleep(1h), std::move(rx));
      sum += *std::get<1>(won);
    }
  }
  SyncResult r = Done(t0, n);
  Expect(sum == Triangle(n), "select", "sum");
  co_return r;
}

// 13. mem
uint64_t RssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
    }
  }
  return 0;
}

Task<> ParkedReceiver(mpsc::Receiver<uint64_t> rx, uint64_t* started) {
  ++*started;
  std::optional<uint64_t> v = co_await rx.Recv();
  Keep(v);
}

}  // namespace

const std::vector<std::string>& SyncBenchNames() {
  static const std::vector<std::string> names = {"oneshot",
                                                 "mpsc_unbounded",
                                                 "mpsc_bounded",
                                                 "mpsc_bounded_cap1",
                                                 "mpsc_threads",
                                                 "broadcast",
                                                 "watch",
                                                 "mutex_uncontended",
                                                 "mutex_contended",
                                                 "semaphore",
                                                 "semaphore_contended",
                                                 "joinset",
                                                 "select",
                                                 "select_ready_first",
                                                 "select_sleep_first",
                                                 "mem"};
  return names;
}

uint64_t SyncBenchMinN(const std::string& bench) {
  if (bench == "mpsc_threads") return kThreads * 2;
  if (bench == "mutex_contended" || bench == "semaphore_contended") {
    return kTasks;
  }
  return 2;
}

Task<SyncResult> RunSyncBench(const std::string& bench, uint64_t n) {
  // Not a coroutine: it hands back the job's own Task.
  if (bench == "oneshot") return Oneshot(n);
  if (bench == "mpsc_unbounded") return MpscUnbounded(n);
  if (bench == "mpsc_bounded") return MpscBounded(n, 1024);
  if (bench == "mpsc_bounded_cap1") return MpscBounded(n, 1);
  if (bench == "mpsc_threads") return MpscThreads(n);
  if (bench == "broadcast") return Broadcast(n);
  if (bench == "watch") return Watch(n);
  if (bench == "mutex_uncontended") return MutexUncontended(n);
  if (bench == "mutex_contended") return MutexContended(n);
  if (bench == "semaphore") return SemaphoreOne(n);
  if (bench == "semaphore_contended") return SemaphoreContended(n);
  if (bench == "joinset") return JoinSetBench(n);
  if (bench == "select") return SelectBench(n, 0);
  if (bench == "select_ready_first") return SelectBench(n, 1);
  if (bench == "select_sleep_first") return SelectBench(n, 2);
  Wrong(bench, "no such bench");
}

Task<> RunMemBench(uint64_t n) {
  const uint64_t before = RssBytes();
  const auto t0 = Clock::now();
  uint64_t started = 0;
  std::vector<mpsc::Sender<uint64_t>> senders;
  senders.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    auto [tx, rx] = mpsc::Channel<uint64_t>(16);
    senders.push_back(std::move(tx));
    Spawn(ParkedReceiver(std::move(rx), &started));  // detached
  }
  while (started < n) co_await YieldNow();
  SyncResult r = Done(t0, n);
  const uint64_t after = RssBytes();
  r.extra = absl::StrFormat(" bytes_per_task=%.1f",
                            (static_cast<double>(after) - before) / n);
  std::printf("%s\n", ResultLine("mem", n, r).c_str());
  std::fflush(stdout);
  Keep(senders);
  std::_Exit(0);  // no teardown of the parked tasks, as tokio_sync
}

std::string ResultLine(const std::string& bench, uint64_t n,
                       const SyncResult& r) {
  return absl::StrFormat(
      "RESULT impl=weft bench=%s n=%d ops=%d ns_per_op=%.2f%s", bench, n, r.ops,
      r.ns / r.ops, r.extra);
}

}  // namespace weft::bench
