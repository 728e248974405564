// The benchmark jobs: each done once by weft and once by the floor
// (floor.h), returning a checksum so the two can be compared.
#include "tools/bench/runtime_jobs.h"

#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "runtime/alloc/frame_pages.h"
#include "runtime/task/leaf.h"
#include "runtime/weft.h"
#include "tools/bench/floor.h"

namespace weft::bench {
namespace {

// Parks the current task with its waker in `*slot`: weft's counterpart of
// the floor's ParkIn, used where the floor parks.
struct ParkWith {
  Waker* slot;
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    *slot = internal::ParkedTask(self, "ParkWith").NewWaker();
  }
  void await_resume() {}
};

// ---------------------------------------------------------------- spawn+join

Task<int> Work(int i) { co_return i; }

floor::Task FloorWork(int i) { co_return i; }

long WeftSpawnJoinBatch(int n) {
  Runtime rt;
  return rt.BlockOn([n]() -> Task<long> {
    std::vector<JoinHandle<int>> handles;
    handles.reserve(n);
    for (int i = 0; i < n; ++i) handles.push_back(Spawn(Work(i)));
    long sum = 0;
    for (auto& h : handles) sum += *(co_await h);
    co_return sum;
  });
}

long FloorSpawnJoinBatch(int n) {
  floor::Fifo fifo;
  std::vector<floor::Task> tasks;
  tasks.reserve(n);
  for (int i = 0; i < n; ++i) {
    tasks.push_back(FloorWork(i));
    fifo.Push(tasks.back().promise());
  }
  fifo.Run();
  long sum = 0;
  for (auto& t : tasks) sum += t.promise()->result;
  return sum;
}

long WeftSpawnJoinOne(int n) {
  Runtime rt;
  return rt.BlockOn([n]() -> Task<long> {
    long sum = 0;
    for (int i = 0; i < n; ++i) sum += *(co_await Spawn(Work(i)));
    co_return sum;
  });
}

long FloorSpawnJoinOne(int n) {
  floor::Fifo fifo;
  long sum = 0;
  for (int i = 0; i < n; ++i) {
    floor::Task t = FloorWork(i);
    fifo.Push(t.promise());
    fifo.Run();
    sum += t.promise()->result;
  }
  return sum;
}

// ---------------------------------------------------------------- yield

// The tasks' bodies take their counts as parameters, as the floor's do:
// a count read through a lambda's captures costs loads the floor does not.
Task<> Yielder(int per) {
  for (int i = 0; i < per; ++i) co_await YieldNow();
}

long WeftYield(int tasks, int n) {
  Runtime rt;
  return rt.BlockOn([tasks, n]() -> Task<long> {
    std::vector<JoinHandle<void>> handles;
    for (int t = 0; t < tasks; ++t)
      handles.push_back(Spawn(Yielder(n / tasks)));
    for (auto& h : handles) co_await h;
    co_return 0;
  });
}

floor::Task FloorYielder(int per) {
  for (int i = 0; i < per; ++i) co_await floor::Yield{};
  co_return 0;
}

long FloorYield(int tasks, int n) {
  floor::Fifo fifo;
  floor::current_fifo = &fifo;
  std::vector<floor::Task> handles;
  for (int t = 0; t < tasks; ++t) {
    handles.push_back(FloorYielder(n / tasks));
    fifo.Push(handles.back().promise());
  }
  fifo.Run();
  return 0;
}

// ---------------------------------------------------------------- ping-pong

Task<> Player(int rounds, Waker* mine, Waker* other) {
  for (int i = 0; i < rounds; ++i) {
    if (*other) std::move(*other).Wake();
    co_await ParkWith{mine};
  }
  if (*other) std::move(*other).Wake();
}

long WeftPingPong(int n) {
  Runtime rt;
  return rt.BlockOn([n]() -> Task<long> {
    Waker ping, pong;
    auto a = Spawn(Player(n / 2, &ping, &pong));
    auto b = Spawn(Player(n / 2, &pong, &ping));
    co_await a;
    co_await b;
    co_return 0;
  });
}

floor::Task FloorPlayer(int rounds, floor::PromiseBase** mine,
                        floor::PromiseBase** other) {
  for (int i = 0; i < rounds; ++i) {
    if (*other) floor::current_fifo->Push(std::exchange(*other, nullptr));
    co_await floor::ParkIn{mine};
  }
  if (*other) floor::current_fifo->Push(std::exchange(*other, nullptr));
  co_return 0;
}

long FloorPingPong(int n) {
  floor::Fifo fifo;
  floor::current_fifo = &fifo;
  floor::PromiseBase* ping = nullptr;
  floor::PromiseBase* pong = nullptr;
  floor::Task a = FloorPlayer(n / 2, &ping, &pong);
  floor::Task b = FloorPlayer(n / 2, &pong, &ping);
  fifo.Push(a.promise());
  fifo.Push(b.promise());
  fifo.Run();
  return 0;
}

// ---------------------------------------------------------------- remote wake

// One round trip: the task parks and hands its waker to a helper thread,
// which wakes it; the task runs and signals the helper for the next round.
long WeftRemoteWake(int n) {
  Runtime rt;
  std::mutex mu;
  Waker handoff;
  std::counting_semaphore<> parked(0);
  std::thread helper([&] {
    for (int i = 0; i < n; ++i) {
      parked.acquire();
      Waker w;
      {
        std::lock_guard<std::mutex> lock(mu);
        w = std::move(handoff);
      }
      std::move(w).Wake();
    }
  });
  rt.BlockOn([&]() -> Task<> {
    for (int i = 0; i < n; ++i) {
      struct HandOff {
        std::mutex* mu;
        Waker* slot;
        std::counting_semaphore<>* parked;
        bool await_ready() { return false; }
        void await_suspend(std::coroutine_handle<> self) {
          Waker w = internal::ParkedTask(self, "HandOff").NewWaker();
          {
            std::lock_guard<std::mutex> lock(*mu);
            *slot = std::move(w);
          }
          parked->release();
        }
        void await_resume() {}
      };
      co_await HandOff{&mu, &handoff, &parked};
    }
  });
  helper.join();
  return 0;
}

struct FloorHandOff {
  std::mutex* mu;
  floor::PromiseBase** slot;
  std::counting_semaphore<>* parked;
  bool await_ready() { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    {
      std::lock_guard<std::mutex> lock(*mu);
      *slot = &h.promise();
    }
    parked->release();
  }
  void await_resume() {}
};

// The floor's remote path: a mutex-guarded list, an eventfd, epoll_wait.
long FloorRemoteWake(int n) {
  floor::Fifo fifo;
  floor::current_fifo = &fifo;
  const int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  std::mutex mu;
  std::vector<floor::PromiseBase*> remote;
  floor::PromiseBase* handoff = nullptr;
  std::counting_semaphore<> parked(0);
  std::thread helper([&] {
    for (int i = 0; i < n; ++i) {
      parked.acquire();
      std::lock_guard<std::mutex> lock(mu);
      const bool was_empty = remote.empty();
      remote.push_back(std::exchange(handoff, nullptr));
      if (was_empty) eventfd_write(efd, 1);
    }
  });
  auto body = [&]() -> floor::Task {
    for (int i = 0; i < n; ++i) co_await FloorHandOff{&mu, &handoff, &parked};
    co_return 0;
  };
  floor::Task t = body();
  fifo.Push(t.promise());
  for (;;) {
    fifo.Run();
    if (t.promise()->handle.done()) break;
    epoll_event out;
    epoll_wait(ep, &out, 1, -1);
    eventfd_t v;
    eventfd_read(efd, &v);
    std::lock_guard<std::mutex> lock(mu);
    for (auto* p : remote) fifo.Push(p);
    remote.clear();
  }
  helper.join();
  close(ep);
  close(efd);
  return 0;
}

}  // namespace

// ---------------------------------------------------------------- memory

namespace {
long ResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) * 1024;
  }
  return -1;
}

// Hands the heap's free memory and the kept empty frame pages back to the
// kernel first, so that memory a job before this one freed (still
// resident, reused without growing RSS) does not hide the parked tasks'
// cost when jobs share a process.
long ResidentBytesAfterTrim() {
  malloc_trim(0);
  internal::FramePages::ReleaseEmptyPages();
  return ResidentBytes();
}

// Parked the way the floor's tasks are (FloorParked): each in turn leaves
// its waker in the same slot, which keeps only the last one.
Task<> Parked(Waker* slot) { co_await ParkWith{slot}; }

// Parked on a Notify, whose waiter node (links, waker, ready check) lives
// in the frame: what a task waiting on a weft primitive costs.
Task<> ParkedOnNotify(Notify* never) { co_await never->Notified(); }

template <class Parker, class Arg>
double ParkedBytes(int n, Parker parker, Arg* arg) {
  Runtime rt;
  double per_task = 0;
  rt.BlockOn([&]() -> Task<> {
    const long before = ResidentBytesAfterTrim();
    for (int i = 0; i < n; ++i) Spawn(parker(arg));
    co_await YieldNow();  // all of them ran once and parked
    per_task = double(ResidentBytes() - before) / n;
  });
  return per_task;  // ~Runtime cancels them all
}

}  // namespace

// Bytes of resident memory per parked task, over n parked tasks.
double WeftParkedBytes(int n) {
  Waker slot;
  return ParkedBytes(n, Parked, &slot);
}

double WeftParkedOnNotifyBytes(int n) {
  Notify never;
  return ParkedBytes(n, ParkedOnNotify, &never);
}

namespace {
floor::Task FloorParked(floor::PromiseBase** slot) {
  co_await floor::ParkIn{slot};
  co_return 0;
}

}  // namespace

double FloorParkedBytes(int n) {
  floor::Fifo fifo;
  floor::current_fifo = &fifo;
  floor::PromiseBase* slot = nullptr;
  std::vector<floor::Task> tasks;
  tasks.reserve(n);
  const long before = ResidentBytesAfterTrim();
  for (int i = 0; i < n; ++i) {
    tasks.push_back(FloorParked(&slot));
    fifo.Push(tasks.back().promise());
  }
  fifo.Run();
  // The vector of handles is the floor's owned-task list (8 bytes a task).
  return double(ResidentBytes() - before) / n;
}

// ---------------------------------------------------------------- registry

const std::map<std::string, std::function<long(int)>>& Ops() {
  static const auto* ops = new std::map<std::string, std::function<long(int)>>{
      {"weft_spawn_join_batch", WeftSpawnJoinBatch},
      {"floor_spawn_join_batch", FloorSpawnJoinBatch},
      {"weft_spawn_join_one", WeftSpawnJoinOne},
      {"floor_spawn_join_one", FloorSpawnJoinOne},
      {"weft_yield_1", [](int n) { return WeftYield(1, n); }},
      {"floor_yield_1", [](int n) { return FloorYield(1, n); }},
      {"weft_yield_100", [](int n) { return WeftYield(100, n); }},
      {"floor_yield_100", [](int n) { return FloorYield(100, n); }},
      {"weft_ping_pong", WeftPingPong},
      {"floor_ping_pong", FloorPingPong},
      {"weft_remote_wake", WeftRemoteWake},
      {"floor_remote_wake", FloorRemoteWake},
  };
  return *ops;
}

}  // namespace weft::bench
