#include "runtime/context.h"

#include <stdexcept>
#include <string>

namespace weft::internal {

Executor& CurrentExecutor(const char* operation) {
  if (tls_context.executor == nullptr) {
    throw std::logic_error(std::string("weft: ") + operation +
                           " called with no runtime on this thread; call it "
                           "from a task inside weft::Runtime::BlockOn()");
  }
  return *tls_context.executor;
}

TaskHeader& CurrentTask(const char* operation) {
  if (tls_context.task == nullptr) {
    throw std::logic_error(std::string("weft: ") + operation +
                           " awaited outside a weft task; await it from a "
                           "task run by Spawn() or Runtime::BlockOn()");
  }
  return *tls_context.task;
}

}  // namespace weft::internal
