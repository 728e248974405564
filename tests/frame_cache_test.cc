// Task frames come from pages carved into blocks of one size class
// (runtime/alloc/frame_pages.h), through a cache per thread
// (runtime/alloc/frame_cache.h): a freed block serves the next frame of its
// size, a thread keeps a bounded number of them and gives them all back when it
// exits, and a page whose blocks are all back is kept for the next page of
// any class, or goes back to the kernel once enough are kept.
#include "runtime/alloc/frame_cache.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <latch>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/alloc/frame_pages.h"
#include "runtime/weft.h"
#include "tests/allocation_counter.h"

namespace weft {
namespace {

using internal::FrameCache;
using internal::FramePages;

// Frame blocks held, wherever they come from: the pages, or operator new
// (every frame under AddressSanitizer, and frames over 1 KiB).
long FrameBlocksHeld() {
  return testing::LiveBlocks() + static_cast<long>(FramePages::BlocksOut());
}

TEST(FrameCache, AFreedBlockServesTheNextFrameOfItsSize) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off: ASan or plain frames";
  const unsigned size_class = FrameCache::SizeClass(200);
  void* block = FrameCache::Allocate(200, size_class);
  FrameCache::Free(block, size_class);
  const long before = FrameBlocksHeld();
  // Any size of the same class fits the block.
  EXPECT_EQ(FrameCache::Allocate(193, FrameCache::SizeClass(193)), block);
  EXPECT_EQ(FrameBlocksHeld(), before);  // nothing new taken
  FrameCache::Free(block, size_class);
}

TEST(FrameCache, ASizeClassHoldsEveryByteOfItsSizes) {
  for (std::size_t bytes = 1; bytes <= 2000; ++bytes) {
    const unsigned size_class = FrameCache::SizeClass(bytes);
    if (size_class == 0) {
      EXPECT_GT(bytes, FrameCache::kMaxClass * FrameCache::kGranule);
      continue;
    }
    EXPECT_GE(size_class * FrameCache::kGranule, bytes);
  }
}

TEST(FramePages, APageIsCarvedIntoAlignedBlocksThatDoNotOverlap) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off: ASan or plain frames";
  std::thread([] {
    const std::size_t bytes = 144;
    const unsigned size_class = FrameCache::SizeClass(bytes);
    std::vector<std::uintptr_t> blocks;
    for (std::size_t i = 0; i < 3 * FramePages::kPageBytes / bytes; ++i) {
      blocks.push_back(reinterpret_cast<std::uintptr_t>(
          FrameCache::Allocate(bytes, size_class)));
    }
    std::sort(blocks.begin(), blocks.end());
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      EXPECT_EQ(blocks[i] % 16, 0u);
      // Inside one page, past its header.
      const std::uintptr_t page = blocks[i] & ~(FramePages::kPageBytes - 1);
      EXPECT_GE(blocks[i], page + 64);
      EXPECT_LE(blocks[i] + bytes, page + FramePages::kPageBytes);
      if (i > 0) {
        EXPECT_GE(blocks[i] - blocks[i - 1], bytes);
      }
    }
    for (std::uintptr_t block : blocks) {
      FrameCache::Free(reinterpret_cast<void*>(block), size_class);
    }
  }).join();
}

TEST(FrameCache, AThreadKeepsABoundedNumberAndGivesThemBackWhenItExits) {
  const long before = FrameBlocksHeld();
  std::thread([] {
    std::vector<void*> blocks;
    for (std::size_t bytes : {100, 300, 700}) {
      const unsigned size_class = FrameCache::SizeClass(bytes);
      for (unsigned i = 0; i < 3 * FrameCache::kPerClass; ++i) {
        blocks.push_back(FrameCache::Allocate(bytes, size_class));
      }
      const long all = FrameBlocksHeld();
      for (void* block : blocks) FrameCache::Free(block, size_class);
      blocks.clear();
      // Kept: at most kPerClass of this class; the rest went back.
      EXPECT_GE(all - FrameBlocksHeld(),
                static_cast<long>(2 * FrameCache::kPerClass));
    }
  }).join();
  EXPECT_EQ(FrameBlocksHeld(), before);  // what it kept went at its exit
}

// Takes and frees `pages` pages' worth of blocks of `bytes` on a thread of
// its own, so that every block is back in the pages when it returns.
void FillAndEmptyPages(std::size_t bytes, std::size_t pages) {
  std::thread([&] {
    const unsigned size_class = FrameCache::SizeClass(bytes);
    const std::size_t mapped_before = FramePages::PagesMapped();
    std::vector<void*> blocks;
    for (std::size_t i = 0; i < pages * FramePages::kPageBytes / bytes; ++i) {
      blocks.push_back(FrameCache::Allocate(bytes, size_class));
    }
    EXPECT_GE(FramePages::PagesMapped() + FramePages::kKeptEmptyPages,
              mapped_before + pages);
    for (void* block : blocks) FrameCache::Free(block, size_class);
  }).join();
}

TEST(FramePages, AnEmptiedPageServesTheNextPageOfAnyClass) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off: ASan or plain frames";
  // Two classes no other test uses: their pages hold no other blocks.
  FillAndEmptyPages(1000, 3);
  ASSERT_GE(FramePages::EmptyPagesKept(), 3u);  // kept, not unmapped
  const std::size_t mapped = FramePages::PagesMapped();
  FillAndEmptyPages(900, 3);  // on the three kept pages: nothing new mapped
  EXPECT_EQ(FramePages::PagesMapped(), mapped);
}

TEST(FramePages, EmptiedPagesPastTheKeptNumberGoBackToTheKernel) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off: ASan or plain frames";
  const std::size_t mapped_before = FramePages::PagesMapped();
  FillAndEmptyPages(800, FramePages::kKeptEmptyPages + 8);
  EXPECT_LE(FramePages::PagesMapped(),
            mapped_before + FramePages::kKeptEmptyPages);
}

TEST(FramePages, ReleasingEmptyPagesUnmapsEveryKeptOne) {
  if (!WEFT_FRAME_CACHE) GTEST_SKIP() << "off: ASan or plain frames";
  FillAndEmptyPages(800, 3);
  const std::size_t kept = FramePages::EmptyPagesKept();
  ASSERT_GE(kept, 3u);
  const std::size_t mapped = FramePages::PagesMapped();
  FramePages::ReleaseEmptyPages();
  EXPECT_EQ(FramePages::EmptyPagesKept(), 0u);
  EXPECT_EQ(FramePages::PagesMapped(), mapped - kept);
}

TEST(FrameCache, ABlockFreedOnAnotherThreadIsGivenBackByThatThread) {
  const unsigned size_class = FrameCache::SizeClass(400);
  std::vector<void*> blocks;
  blocks.reserve(100);
  const long before = FrameBlocksHeld();
  std::thread([&] {
    for (int i = 0; i < 100; ++i) {
      blocks.push_back(FrameCache::Allocate(400, size_class));
    }
  }).join();
  std::thread([&] {
    for (void* block : blocks) FrameCache::Free(block, size_class);
  }).join();
  EXPECT_EQ(FrameBlocksHeld(), before);
}

// Threads take blocks at once and free each other's: every block is whole
// and its own while it is out (each is filled with its owner's mark and
// checked by the thread that frees it), and all of them come back.
TEST(FrameCache, BlocksTakenTogetherAndFreedByOtherThreadsAllComeBack) {
  constexpr int kThreads = 4;
  constexpr int kBlocks = 3000;
  const std::size_t sizes[] = {100, 300, 700};
  struct Block {
    unsigned char* bytes;
    std::size_t size;
  };
  std::vector<std::vector<Block>> blocks(kThreads);
  for (auto& mine : blocks) mine.reserve(kBlocks);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::latch all_taken(kThreads);
  const long before = FrameBlocksHeld();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBlocks; ++i) {
        const std::size_t size = sizes[i % 3];
        auto* bytes = static_cast<unsigned char*>(
            FrameCache::Allocate(size, FrameCache::SizeClass(size)));
        std::memset(bytes, t + 1, size);
        blocks[t].push_back({bytes, size});
      }
      all_taken.arrive_and_wait();
      const int owner = (t + 1) % kThreads;
      for (const Block& block : blocks[owner]) {
        const unsigned char* begin = block.bytes;
        const unsigned char* end = begin + block.size;
        EXPECT_EQ(std::find_if(begin, end,
                               [&](unsigned char b) { return b != owner + 1; }),
                  end);
        FrameCache::Free(block.bytes, FrameCache::SizeClass(block.size));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(FrameBlocksHeld(), before);
}

TEST(FrameCache, TasksSpawnedOnAThreadLeaveNothingBehindIt) {
  const long before = FrameBlocksHeld();
  std::thread([] {
    Runtime rt;
    rt.BlockOn([]() -> Task<> {
      for (int i = 0; i < 100; ++i) {
        co_await Spawn([]() -> Task<int> { co_return 1; });
      }
    });
  }).join();
  EXPECT_EQ(FrameBlocksHeld(), before);
}

}  // namespace
}  // namespace weft
