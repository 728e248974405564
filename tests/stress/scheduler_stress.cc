// See scheduler_stress.h for the world and its invariants.
#include "tests/stress/scheduler_stress.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/weft.h"

namespace weft::stress {
namespace {

using namespace std::chrono_literals;

enum class End { kNone, kCompleted, kFailed, kCancelled };

struct Stats {
  std::vector<End> ends;  // by task id
  int alive = 0;          // live task frames (guards)
  int ended_twice = 0;
  int ran_after_end = 0;
  int bad_join_results = 0;
  int lock_violations = 0;  // two holders of the mutex, or > 3 permits out
  int holding = 0;          // mutex holders now
  int permits_out = 0;      // semaphore permits held now
  int64_t sent = 0;         // messages the channel accepted
  int64_t received = 0;
};

// A task's coroutine parameter, so it lives in the frame from creation:
// its destructor is the task's end, even for a task aborted before it ever
// ran.
class EndGuard {
 public:
  EndGuard(Stats* s, int id) : s_(s), id_(id) { ++s_->alive; }
  EndGuard(EndGuard&& o) noexcept
      : s_(std::exchange(o.s_, nullptr)), id_(o.id_), outcome_(o.outcome_) {}
  ~EndGuard() {
    if (s_ == nullptr) return;  // moved from
    --s_->alive;
    if (s_->ends[id_] != End::kNone) ++s_->ended_twice;
    s_->ends[id_] = outcome_;
  }
  void Set(End e) { outcome_ = e; }
  void CheckStillRunning() const {
    if (s_->ends[id_] != End::kNone) ++s_->ran_after_end;
  }

 private:
  Stats* s_;
  int id_;
  End outcome_ = End::kCancelled;  // unless the body says otherwise
};

// Counts itself in `*count` (by `n`) while it lives, so a hold ends with
// its task, even a cancelled one.
class HeldCount {
 public:
  explicit HeldCount(int* count, int n = 1) : count_(count), n_(n) {
    *count_ += n_;
  }
  HeldCount(const HeldCount&) = delete;
  HeldCount& operator=(const HeldCount&) = delete;
  ~HeldCount() { *count_ -= n_; }

 private:
  int* count_;
  int n_;
};

// A helper thread that wakes tasks through their Wakers.
class Waker9000 {
 public:
  Waker9000() : thread_([this] { Loop(); }) {}
  ~Waker9000() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void Submit(std::shared_ptr<std::atomic<bool>> done, Waker w) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.emplace_back(std::move(done), std::move(w));
    }
    cv_.notify_one();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto [done, w] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      done->store(true, std::memory_order_release);
      std::move(w).Wake();
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::shared_ptr<std::atomic<bool>>, Waker>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

// Parks until the helper thread wakes this task: submitted on the first
// poll, ready once the helper has set `done` (a stray wake polls again and
// finds it unset).
auto WokenByThread(Waker9000* helper) {
  return PollFn([helper, done = std::shared_ptr<std::atomic<bool>>()](
                    PollContext& cx) mutable {
    if (done) return done->load(std::memory_order_acquire);
    done = std::make_shared<std::atomic<bool>>(false);
    helper->Submit(done, cx.waker());
    return false;
  });
}

struct World {
  Stats* stats;
  Waker9000* helper;
  std::function<uint64_t()> next;  // the operation stream
  std::vector<std::unique_ptr<Notify>> notifies;
  Mutex<int>* mutex;
  Semaphore* semaphore;   // 3 permits
  mpsc::Sender<int>* tx;  // capacity 4
  mpsc::Receiver<int>* rx;
  int next_id = 0;
  int budget;  // tasks left to spawn
};

Task<> Worker(World* w, int steps, EndGuard guard);

JoinHandle<void> SpawnWorker(World* w) {
  const int id = w->next_id++;
  w->stats->ends.push_back(End::kNone);
  --w->budget;
  const int steps = static_cast<int>(w->next() % 12);
  return Spawn(Worker(w, steps, EndGuard(w->stats, id)));
}

// A task joins, aborts and drops only its own children: joins then form a
// tree, never a cycle (a task joining itself would wait forever, by design).
Task<> Worker(World* w, int steps, EndGuard guard) {
  std::vector<JoinHandle<void>> children;
  for (int step = 0; step < steps; ++step) {
    guard.CheckStillRunning();
    switch (w->next() % 15) {
      case 0:
        if (w->budget > 0) children.push_back(SpawnWorker(w));
        break;
      case 1:
        if (!children.empty()) {  // join one, and check it ended properly
          const size_t k = w->next() % children.size();
          JoinHandle<void> h = std::move(children[k]);
          children.erase(children.begin() + k);
          JoinResult<void> r = co_await h;
          if (r.ok() == false && !r.error().IsCancelled() &&
              !r.error().IsFailed()) {
            ++w->stats->bad_join_results;
          }
        }
        break;
      case 2:
        if (!children.empty()) children[w->next() % children.size()].Abort();
        break;
      case 3:
        if (!children.empty()) {  // drop one: it runs on, detached
          children.erase(children.begin() + w->next() % children.size());
        }
        break;
      case 4:
        co_await YieldNow();
        break;
      case 5:
        co_await Sleep(std::chrono::milliseconds(w->next() % 50));
        break;
      case 6:
        w->notifies[w->next() % w->notifies.size()]->NotifyOne();
        break;
      case 7: {
        Notify& n = *w->notifies[w->next() % w->notifies.size()];
        // The inner task may yield first: a deadline must reach it in the
        // run queue too.
        const int yields = static_cast<int>(w->next() % 3);
        TimeoutResult<void> s =
            co_await Timeout(20ms, [](Notify& n, int yields) -> Task<> {
              for (int i = 0; i < yields; ++i) co_await YieldNow();
              co_await n.Notified();
            }(n, yields));
        (void)s;
        break;
      }
      case 8:
        co_await WokenByThread(w->helper);
        break;
      case 9:
        if (w->next() % 4 == 0) {
          guard.Set(End::kFailed);
          throw std::runtime_error("stress");
        }
        break;
      case 10:
        // Moves the paused clock from inside a task: timers fire now,
        // while other tasks are parked, queued or yielded.
        co_await time::Advance(std::chrono::milliseconds(w->next() % 30));
        break;
      case 11: {  // the mutex, held across a yield; waiting may time out
        TimeoutResult<Mutex<int>::Guard> locked =
            co_await Timeout(20ms, w->mutex->Lock());
        if (!locked.ok()) break;
        HeldCount held(&w->stats->holding);
        if (w->stats->holding > 1) ++w->stats->lock_violations;
        ++**locked;
        co_await YieldNow();  // aborted here: the guard still unlocks
        break;
      }
      case 12: {  // 1 or 2 of the semaphore's 3 permits, held across a sleep
        const size_t n = 1 + w->next() % 2;
        TimeoutResult<absl::StatusOr<Semaphore::Permit>> permit =
            co_await Timeout(20ms, w->semaphore->AcquireMany(n));
        if (!permit.ok()) break;
        HeldCount held(&w->stats->permits_out, static_cast<int>(n));
        if (w->stats->permits_out > 3) ++w->stats->lock_violations;
        co_await Sleep(std::chrono::milliseconds(w->next() % 10));
        break;
      }
      case 13:  // the channel: send (may wait for room) or receive
        if (w->next() % 2 == 0) {
          TimeoutResult<SendResult<int>> sent =
              co_await Timeout(20ms, w->tx->Send(1));
          if (sent.ok() && sent->ok()) ++w->stats->sent;
        } else {
          TimeoutResult<std::optional<int>> got =
              co_await Timeout(20ms, w->rx->Recv());
          if (got.ok() && got->has_value()) ++w->stats->received;
        }
        break;
      case 14: {  // Select: a message, a permit, a notification or a sleep;
                  // what the losers waited for stays for others
        Notify& n = *w->notifies[w->next() % w->notifies.size()];
        const auto nap = std::chrono::milliseconds(w->next() % 20);
        auto won = co_await Select(w->rx->Recv(), w->semaphore->Acquire(),
                                   n.Notified(), Sleep(nap));
        if (won.index() == 0 && std::get<0>(won).has_value()) {
          ++w->stats->received;
        }
        if (won.index() == 1 && std::get<1>(won).ok()) {
          HeldCount held(&w->stats->permits_out, 1);  // the permit in `won`
          if (w->stats->permits_out > 3) ++w->stats->lock_violations;
          co_await YieldNow();
        }
        break;
      }
    }
  }
  guard.Set(End::kCompleted);
}

}  // namespace

std::string Report::ToString() const {
  return absl::StrCat(tasks, " tasks: ", never_ended, " never ended, ", alive,
                      " frames alive after shutdown, ", ended_twice,
                      " ended twice, ", ran_after_end, " ran after their end, ",
                      bad_join_results, " bad join results, ", lock_violations,
                      " lock or channel violations");
}

Report Run(std::function<uint64_t()> next, int tasks) {
  Stats stats;
  {
    Waker9000 helper;
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      time::Pause();
      Mutex<int> mutex(0);
      Semaphore semaphore(3);
      auto [tx, rx] = mpsc::Channel<int>(4);
      World w{
          &stats, &helper, std::move(next), {}, &mutex, &semaphore, &tx, &rx,
          0,      tasks};
      std::vector<JoinHandle<void>> handles;
      for (int i = 0; i < 8; ++i)
        w.notifies.push_back(std::make_unique<Notify>());
      while (w.budget > 0) {
        handles.push_back(SpawnWorker(&w));
        if (w.next() % 8 == 0) co_await YieldNow();
      }
      // Join everything still held; detached tasks run on.
      for (JoinHandle<void>& h : handles) co_await h;
      // Let the detached ones finish: every one ends, none waits forever.
      while (stats.alive > 0) co_await Sleep(1ms);
      // Every message accepted is received once: what the tasks did not
      // take is still queued.
      while (rx.TryRecv()) ++stats.received;
      if (stats.received != stats.sent) ++stats.lock_violations;
      // The notifies die with this frame: nothing waits on them now.
    });
  }
  Report report;
  report.tasks = static_cast<int>(stats.ends.size());
  report.alive = stats.alive;
  report.ended_twice = stats.ended_twice;
  report.ran_after_end = stats.ran_after_end;
  report.bad_join_results = stats.bad_join_results;
  report.lock_violations = stats.lock_violations;
  for (End e : stats.ends) report.never_ended += e == End::kNone;
  return report;
}

}  // namespace weft::stress
