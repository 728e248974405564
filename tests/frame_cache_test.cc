// Task frames are recycled per thread (runtime/frame_cache.h): a freed
// block serves the next frame of its size, a thread keeps a bounded number
// of them, and gives them all back when it exits. Blocks are counted by
// replacing the global operator new and delete in this test binary
// (allocation_counter.h).
#include "runtime/frame_cache.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/allocation_counter.h"

namespace weft {
namespace {

using internal::FrameCache;

TEST(FrameCache, AFreedBlockServesTheNextFrameOfItsSize) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off under AddressSanitizer";
  const unsigned size_class = FrameCache::SizeClass(200);
  void* block = FrameCache::Allocate(200, size_class);
  FrameCache::Free(block, size_class);
  const long before = testing::LiveBlocks();
  // Any size of the same class fits the block.
  EXPECT_EQ(FrameCache::Allocate(190, FrameCache::SizeClass(190)), block);
  EXPECT_EQ(testing::LiveBlocks(), before);  // no new allocation
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
  const long before = testing::LiveBlocks();
  std::thread([] {
    std::vector<void*> blocks;
    for (std::size_t bytes : {100, 300, 700}) {
      const unsigned size_class = FrameCache::SizeClass(bytes);
      for (unsigned i = 0; i < 3 * FrameCache::kPerClass; ++i) {
        blocks.push_back(FrameCache::Allocate(bytes, size_class));
      }
      const long all = testing::LiveBlocks();
      for (void* block : blocks) FrameCache::Free(block, size_class);
      blocks.clear();
      // Kept: at most kPerClass of this class; the rest went to delete.
      EXPECT_GE(all - testing::LiveBlocks(),
                static_cast<long>(2 * FrameCache::kPerClass));
    }
  }).join();
  EXPECT_EQ(testing::LiveBlocks(), before);  // what it kept went at its exit
}

TEST(FrameCache, TasksSpawnedOnAThreadLeaveNothingBehindIt) {
  const long before = testing::LiveBlocks();
  std::thread([] {
    Runtime rt;
    rt.BlockOn([]() -> Task<> {
      for (int i = 0; i < 100; ++i) {
        co_await Spawn([]() -> Task<int> { co_return 1; });
      }
    });
  }).join();
  EXPECT_EQ(testing::LiveBlocks(), before);
}

}  // namespace
}  // namespace weft
