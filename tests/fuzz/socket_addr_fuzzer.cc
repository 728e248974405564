// Fuzz target: SocketAddr::Parse on arbitrary bytes must return a status or
// an address that formats and parses back to itself; never crash, hang or
// read out of bounds.
//
// As a libFuzzer binary: tools/bazel build --config=fuzz
//   //tests/fuzz:socket_addr_fuzzer, run with the corpus directory (the CI
//   does this for a minute). As a test (every configuration): the same
//   function over every file in socket_addr_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "net/socket_addr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<weft::net::SocketAddr> addr =
      weft::net::SocketAddr::Parse(text);
  if (!addr.ok()) {
    // An error quotes the input: it must at least be an InvalidArgument.
    if (!absl::IsInvalidArgument(addr.status())) std::abort();
    return 0;
  }
  absl::StatusOr<weft::net::SocketAddr> again =
      weft::net::SocketAddr::Parse(addr->ToString());
  if (!again.ok() || !(*again == *addr)) std::abort();
  return 0;
}
