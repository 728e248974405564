// The floor: the least a coroutine scheduler can do, hand-written.
//
// A heap-allocated coroutine frame per task, an intrusive FIFO of ready
// frames, and a loop that pops and resumes. No state word, no reference
// counts, no join handles, no reactor, no cancellation: whatever weft costs
// above this is the price of those features. The benchmarks run the same
// job on both, in the same binary.
#ifndef WEFT_TOOLS_BENCH_FLOOR_H_
#define WEFT_TOOLS_BENCH_FLOOR_H_

#include <coroutine>
#include <exception>
#include <utility>

namespace weft::floor {

struct PromiseBase {
  PromiseBase* next = nullptr;  // the FIFO link
  std::coroutine_handle<> handle;
  int result = 0;
};

class Fifo {
 public:
  void Push(PromiseBase* p) {
    p->next = nullptr;
    if (tail_) {
      tail_->next = p;
    } else {
      head_ = p;
    }
    tail_ = p;
  }
  PromiseBase* Pop() {
    PromiseBase* p = head_;
    if (p) {
      head_ = p->next;
      if (!head_) tail_ = nullptr;
    }
    return p;
  }
  // Resumes ready frames until none is left.
  void Run() {
    while (PromiseBase* p = Pop()) p->handle.resume();
  }

 private:
  PromiseBase* head_ = nullptr;
  PromiseBase* tail_ = nullptr;
};

inline thread_local Fifo* current_fifo = nullptr;

class Task {
 public:
  struct promise_type : PromiseBase {
    Task get_return_object() {
      handle = std::coroutine_handle<promise_type>::from_promise(*this);
      return Task(this);
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(int v) { result = v; }
    void unhandled_exception() { std::terminate(); }
  };
  explicit Task(promise_type* p) : p_(p) {}
  Task(Task&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  ~Task() {
    if (p_) p_->handle.destroy();
  }
  promise_type* promise() const { return p_; }

 private:
  promise_type* p_;
};

// Puts the running frame at the back of the FIFO.
struct Yield {
  bool await_ready() { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    current_fifo->Push(&h.promise());
  }
  void await_resume() {}
};

// Parks; whoever holds `*slot` pushes it back onto the FIFO.
struct ParkIn {
  PromiseBase** slot;
  bool await_ready() { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    *slot = &h.promise();
  }
  void await_resume() {}
};

}  // namespace weft::floor

#endif  // WEFT_TOOLS_BENCH_FLOOR_H_
