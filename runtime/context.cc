#include "runtime/context.h"

#include <stdexcept>
#include <string>

namespace weft::internal {

void NoRuntime(const char* operation) {
  throw std::logic_error(std::string("weft: ") + operation +
                         " called with no runtime on this thread; call it "
                         "from a task inside weft::Runtime::BlockOn()");
}

void NoTask(const char* operation) {
  throw std::logic_error(std::string("weft: ") + operation +
                         " awaited outside a weft task; await it from a "
                         "task run by Spawn() or Runtime::BlockOn()");
}

}  // namespace weft::internal
