// The fault table behind sys.h; compiled only into the fault-injection
// variants of the libraries.
#ifdef WEFT_FAULT_INJECTION

#include "runtime/io/sys/sys.h"

#include <array>
#include <cerrno>
#include <mutex>
#include <vector>

namespace weft::internal::sys {
namespace {

struct Fault {
  int countdown;  // calls left until it fires
  int err;
};

std::mutex mu;
std::array<std::vector<Fault>, static_cast<size_t>(Call::kCount)> faults;
std::vector<epoll_event> injected_events;

}  // namespace

void InjectFault(Call call, int nth, int err) {
  std::lock_guard<std::mutex> lock(mu);
  faults[static_cast<size_t>(call)].push_back({nth, err});
}

void ClearFaults() {
  std::lock_guard<std::mutex> lock(mu);
  for (auto& f : faults) f.clear();
  injected_events.clear();
}

int PendingFaults(Call call) {
  std::lock_guard<std::mutex> lock(mu);
  return static_cast<int>(faults[static_cast<size_t>(call)].size());
}

void InjectEvent(uint64_t token, uint32_t events) {
  std::lock_guard<std::mutex> lock(mu);
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = token;
  injected_events.push_back(ev);
}

int TakeInjectedEvents(epoll_event* out, int max) {
  std::lock_guard<std::mutex> lock(mu);
  int n = 0;
  while (n < max && !injected_events.empty()) {
    out[n++] = injected_events.front();
    injected_events.erase(injected_events.begin());
  }
  return n;
}

bool FaultDue(Call call) {
  std::lock_guard<std::mutex> lock(mu);
  auto& pending = faults[static_cast<size_t>(call)];
  bool due = false;
  int err = 0;
  for (auto it = pending.begin(); it != pending.end();) {
    if (--it->countdown == 0) {
      due = true;
      err = it->err;
      it = pending.erase(it);
    } else {
      ++it;
    }
  }
  if (due) errno = err;
  return due;
}

}  // namespace weft::internal::sys

#endif  // WEFT_FAULT_INJECTION
