// A sanitizer report names the function, file and line of every frame it
// can: the point of running the tests under --config=asan and
// --config=tsan is a report a person can act on, and an unsymbolized one
// ("invalid path to external symbolizer", bare addresses) is not. The
// symbolizer is clang 19's own (.bazelrc, tools/bazel installs llvm-19).
//
// Each test provokes a real report in a child process (a death test) and
// matches what it printed. In a build without that sanitizer there is no
// report to read, and the test says so.
#include <cstdio>
#include <thread>

#include "gtest/gtest.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_TEST_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define WEFT_TEST_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WEFT_TEST_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define WEFT_TEST_TSAN 1
#endif

namespace {

// Not inlined, so that the report has a frame of this name.
[[maybe_unused, gnu::noinline]] void ReadAfterFree() {
  int* volatile numbers = new int[4]{1, 2, 3, 4};
  delete[] numbers;
  std::printf("%d\n", numbers[1]);
}

int racy_counter = 0;
[[gnu::noinline]] void IncrementWithoutALock() { ++racy_counter; }

[[maybe_unused, gnu::noinline]] void RaceTwoThreads() {
  std::thread a(IncrementWithoutALock);
  std::thread b(IncrementWithoutALock);
  a.join();
  b.join();
  std::printf("%d\n", racy_counter);
}

TEST(SanitizerReport, AnAddressSanitizerReportNamesFunctionFileAndLine) {
#if !defined(WEFT_TEST_ASAN)
  GTEST_SKIP() << "not an AddressSanitizer build (--config=asan)";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(ReadAfterFree(),
               "heap-use-after-free(.|\n)*in .*ReadAfterFree.* "
               ".*tests/sanitizer_report_test.cc:[0-9]+");
#endif
}

TEST(SanitizerReport, AThreadSanitizerReportNamesFunctionFileAndLine) {
#if !defined(WEFT_TEST_TSAN)
  GTEST_SKIP() << "not a ThreadSanitizer build (--config=tsan)";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(RaceTwoThreads(),
               "data race(.|\n)*IncrementWithoutALock.* "
               ".*tests/sanitizer_report_test.cc:[0-9]+");
#endif
}

}  // namespace
