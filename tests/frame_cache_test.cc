// Task frames are recycled per thread (runtime/frame_cache.h): a freed
// block serves the next frame of its size, a thread keeps a bounded number
// of them, and gives them all back when it exits. Blocks are counted by
// replacing the global operator new and delete in this test binary.
#include "runtime/frame_cache.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {
std::atomic<long> live_blocks{0};
}  // namespace

void* operator new(std::size_t n) {
  live_blocks.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p != nullptr) live_blocks.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace weft {
namespace {

using internal::FrameCache;

TEST(FrameCache, AFreedBlockServesTheNextFrameOfItsSize) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off under AddressSanitizer";
  const unsigned size_class = FrameCache::SizeClass(200);
  void* block = FrameCache::Allocate(200, size_class);
  FrameCache::Free(block, size_class);
  const long before = live_blocks.load();
  // Any size of the same class fits the block.
  EXPECT_EQ(FrameCache::Allocate(190, FrameCache::SizeClass(190)), block);
  EXPECT_EQ(live_blocks.load(), before);  // no new allocation
  FrameCache::Free(block, size_class);
}

TEST(FrameCache, ASizeClassHoldsEveryByteOfItsSizes) {
  for (std::size_t bytes = 1; bytes <= 2000; ++bytes) {
    const unsigned size_class = FrameCache::SizeClass(bytes);
    if (size_class == 0) {
      EXPECT_GT(bytes, FrameCache::kMaxClass * FrameCache::kGranule -
                           FrameCache::kChunkOverhead);
      continue;
    }
    EXPECT_GE(size_class * FrameCache::kGranule - FrameCache::kChunkOverhead,
              bytes);
  }
}

TEST(FrameCache, AThreadKeepsABoundedNumberAndFreesThemWhenItExits) {
  const long before = live_blocks.load();
  std::thread([] {
    std::vector<void*> blocks;
    for (std::size_t bytes : {100, 300, 700}) {
      const unsigned size_class = FrameCache::SizeClass(bytes);
      for (unsigned i = 0; i < 3 * FrameCache::kPerClass; ++i) {
        blocks.push_back(FrameCache::Allocate(bytes, size_class));
      }
      const long all = live_blocks.load();
      for (void* block : blocks) FrameCache::Free(block, size_class);
      blocks.clear();
      // Kept: at most kPerClass of this class; the rest went to delete.
      EXPECT_GE(all - live_blocks.load(),
                static_cast<long>(2 * FrameCache::kPerClass));
    }
  }).join();
  EXPECT_EQ(live_blocks.load(), before);  // what it kept went at its exit
}

TEST(FrameCache, TasksSpawnedOnAThreadLeaveNothingBehindIt) {
  const long before = live_blocks.load();
  std::thread([] {
    Runtime rt;
    rt.BlockOn([]() -> Task<> {
      for (int i = 0; i < 100; ++i) {
        co_await Spawn([]() -> Task<int> { co_return 1; });
      }
    });
  }).join();
  EXPECT_EQ(live_blocks.load(), before);
}

}  // namespace
}  // namespace weft
