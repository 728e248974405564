#include "runtime/task/context.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace weft::internal {

void NoRuntime(const char* operation) {
  throw std::logic_error(std::string("weft: ") + operation +
                         " called with no runtime on this thread; call it "
                         "from a task inside weft::Runtime::BlockOn()");
}

void NoTask(const char* operation) noexcept {
  std::fprintf(stderr,
               "weft: %s awaited outside a weft task; await it from a task "
               "run by Spawn() or Runtime::BlockOn()\n",
               operation);
  std::abort();
}

}  // namespace weft::internal
