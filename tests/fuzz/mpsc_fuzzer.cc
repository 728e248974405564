// Fuzz target: a bounded mpsc channel driven by the input bytes, checked
// against a model (a deque): every message sent is received once, in order;
// a full or closed channel hands the value back; Recv ends exactly when the
// model says no more can come. Never a crash, a hang or a lost message.
//
// As a libFuzzer binary: tools/bazel build --config=fuzz
//   //tests/fuzz:mpsc_fuzzer (the CI runs it for a minute). As a test
//   (every configuration): over every file in mpsc_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <optional>
#include <vector>

#include "runtime/weft.h"

namespace {

using weft::SendResult;
using weft::Task;
namespace mpsc = weft::mpsc;

void Check(bool ok) {
  if (!ok) std::abort();
}

Task<> Drive(const uint8_t* data, size_t size) {
  if (size == 0) co_return;
  const size_t capacity = 1 + data[0] % 8;
  auto [first, rx] = mpsc::Channel<int>(capacity);
  std::vector<mpsc::Sender<int>> senders;
  senders.push_back(std::move(first));
  std::deque<int> model;  // queued, oldest first
  bool closed = false;
  int next = 0;
  for (size_t i = 1; i < size; ++i) {
    const uint8_t op = data[i] % 8;
    const size_t who = senders.empty() ? 0 : (data[i] / 8) % senders.size();
    switch (op) {
      case 0: {  // TrySend
        if (senders.empty()) break;
        const bool fits = !closed && model.size() < capacity;
        SendResult<int> sent = senders[who].TrySend(next);
        Check(sent.ok() == fits);
        Check(sent.ok() || sent.full() == !closed);
        if (fits) model.push_back(next);
        ++next;
        break;
      }
      case 1:  // another sender
        if (!senders.empty() && senders.size() < 4) {
          senders.push_back(senders[who]);
        }
        break;
      case 2:  // a sender goes
        if (!senders.empty()) senders.erase(senders.begin() + who);
        break;
      case 3: {  // TryRecv
        mpsc::TryRecvError why{};
        std::optional<int> got = rx.TryRecv(&why);
        if (!model.empty()) {
          Check(got == model.front());
          model.pop_front();
        } else {
          Check(!got.has_value());
          Check((why == mpsc::TryRecvError::kDisconnected) ==
                (senders.empty() || closed));
        }
        break;
      }
      case 4:  // Recv, when it cannot wait forever
        if (!model.empty() || senders.empty() || closed) {
          std::optional<int> got = co_await rx.Recv();
          if (model.empty()) {
            Check(!got.has_value());
          } else {
            Check(got == model.front());
            model.pop_front();
          }
        }
        break;
      case 5:
        rx.Close();
        closed = true;
        break;
      case 6:  // Send, when it cannot wait forever
        if (!senders.empty() && (closed || model.size() < capacity)) {
          SendResult<int> sent = co_await senders[who].Send(next);
          Check(sent.closed() == closed);
          if (!closed) model.push_back(next);
          ++next;
        }
        break;
      case 7: {  // RecvMany
        if (model.empty() && !senders.empty() && !closed) break;
        std::vector<int> got;
        const size_t n = co_await rx.RecvMany(got, 3);
        Check(n == got.size() && n <= 3 && n <= model.size());
        for (int v : got) {
          Check(v == model.front());
          model.pop_front();
        }
        Check(n > 0 || model.empty());
        break;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  weft::Runtime runtime;
  runtime.BlockOn(Drive(data, size));
  return 0;
}
