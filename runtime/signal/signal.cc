#include "runtime/signal/signal.h"

#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/io/async_fd.h"
#include "runtime/sched/executor.h"
#include "runtime/sched/spawn.h"
#include "runtime/sync/notify.h"

namespace weft {
namespace internal {

// One per signal per runtime: the signalfd, how many deliveries it has
// read, and the listeners waiting for the next one. A pump task (spawned on
// the first Listen) is the only reader of the fd; listeners wait on
// `delivered`, so any number of them can share one fd.
struct SignalSlot {
  AsyncFd fd;
  uint64_t count = 0;
  Notify delivered;
};

// The runtime's signal slots, kept by its executor (signal_registry())
// and destroyed after the runtime's tasks (the pumps) are cancelled.
class SignalRegistry {
 public:
  std::map<int, std::unique_ptr<SignalSlot>> slots;
};

namespace {

SignalRegistry& RegistryOf(Executor& executor) {
  Executor::SignalRegistryPtr& registry = executor.signal_registry();
  if (registry == nullptr) {
    registry = Executor::SignalRegistryPtr(new SignalRegistry,
                                           [](SignalRegistry* r) { delete r; });
  }
  return *registry;
}

Task<> Pump(SignalSlot* slot) {
  for (;;) {
    co_await slot->fd.Readable();
    signalfd_siginfo info;
    int read_now = 0;
    while (read(slot->fd.fd(), &info, sizeof info) == sizeof info) ++read_now;
    slot->fd.ClearReadable();  // drained: read() said EAGAIN
    if (read_now > 0) {
      slot->count += read_now;
      slot->delivered.NotifyWaiters();
    }
  }
}

}  // namespace
}  // namespace internal

absl::StatusOr<Signal> Signal::Listen(int signo) {
  internal::Executor& executor = internal::CurrentExecutor("Signal::Listen");
  internal::SignalRegistry& registry = internal::RegistryOf(executor);
  auto found = registry.slots.find(signo);
  if (found == registry.slots.end()) {
    const char* abbrev = sigabbrev_np(signo);
    const std::string name = abbrev != nullptr ? absl::StrCat("SIG", abbrev)
                                               : absl::StrCat("signal ", signo);
    sigset_t mask;
    sigemptyset(&mask);
    if (sigaddset(&mask, signo) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("listen ", name, ": no such signal"));
    }
    if (const int err = pthread_sigmask(SIG_BLOCK, &mask, nullptr); err != 0) {
      return absl::ErrnoToStatus(err, absl::StrCat("listen ", name));
    }
    const int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
      return absl::ErrnoToStatus(errno, absl::StrCat("listen ", name));
    absl::StatusOr<AsyncFd> io = AsyncFd::Create(fd);
    if (!io.ok()) return io.status();
    auto slot = std::make_unique<internal::SignalSlot>();
    slot->fd = *std::move(io);
    internal::SpawnOn(executor, internal::Pump(slot.get()));
    found = registry.slots.emplace(signo, std::move(slot)).first;
  }
  return Signal(signo, found->second.get(), found->second->count);
}

Task<> Signal::Recv() {
  while (slot_->count == seen_) co_await slot_->delivered.Notified();
  seen_ = slot_->count;
}

Task<> CtrlC() {
  absl::StatusOr<Signal> sigint = Signal::Listen(SIGINT);
  if (!sigint.ok()) throw std::runtime_error(sigint.status().ToString());
  co_await sigint->Recv();
}

}  // namespace weft
