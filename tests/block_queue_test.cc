// BlockQueue, the FIFO under every mpsc channel: what a channel relies on is
// that messages come out in the order they went in, however many blocks they
// span and however the queue fills and drains; that each message is
// destroyed exactly once (taken, or dropped with the queue); and that two
// queues trade their contents whole (the receiver's batch).
#include "runtime/sync/block_queue.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace weft::internal {
namespace {

constexpr size_t kBlock = BlockQueue<int>::kBlockSlots;

TEST(BlockQueue, KeepsOrderAcrossBlocksWhileFillingAndDraining) {
  BlockQueue<std::unique_ptr<int>> queue;
  int next_in = 0;
  int next_out = 0;
  // Waves of pushes and pops of sizes that end on, just before and just
  // after block boundaries, and that empty the queue now and then.
  for (size_t wave : {size_t{1}, kBlock - 1, kBlock, kBlock + 1, 3 * kBlock,
                      size_t{5}, 2 * kBlock}) {
    for (size_t i = 0; i < wave; ++i) {
      queue.push_back(std::make_unique<int>(next_in++));
    }
    ASSERT_EQ(queue.size(), static_cast<size_t>(next_in - next_out));
    for (size_t i = 0; i < wave / 2 + 1 && !queue.empty(); ++i) {
      ASSERT_EQ(*queue.front(), next_out++);
      queue.pop_front();
    }
  }
  while (!queue.empty()) {
    ASSERT_EQ(*queue.front(), next_out++);
    queue.pop_front();
  }
  EXPECT_EQ(next_out, next_in);
}

TEST(BlockQueue, DestroysEveryMessageOnceWhetherTakenOrDropped) {
  auto alive = std::make_shared<int>(0);
  {
    BlockQueue<std::shared_ptr<int>> queue;
    for (size_t i = 0; i < 3 * kBlock + 7; ++i) queue.push_back(alive);
    for (size_t i = 0; i < kBlock + 2; ++i) queue.pop_front();
    EXPECT_EQ(alive.use_count(), static_cast<long>(1 + 2 * kBlock + 5));
  }
  EXPECT_EQ(alive.use_count(), 1);
}

TEST(BlockQueue, SwapTradesTheWholeContents) {
  BlockQueue<int> a;
  BlockQueue<int> b;
  for (int i = 0; i < static_cast<int>(kBlock) + 3; ++i) a.push_back(i);
  b.push_back(-1);
  a.swap(b);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a.front(), -1);
  std::vector<int> got;
  while (!b.empty()) {
    got.push_back(b.front());
    b.pop_front();
  }
  ASSERT_EQ(got.size(), kBlock + 3);
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], static_cast<int>(i));
  // The emptied queue takes new messages after the trade.
  b.push_back(7);
  EXPECT_EQ(b.front(), 7);
}

}  // namespace
}  // namespace weft::internal
