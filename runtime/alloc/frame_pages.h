// FramePages: where Task frame blocks come from.
//
// Every spawned task and every awaited child task is a heap block ([room |
// frame], task.h) of one of a few sizes. FramePages carves 64 KiB pages,
// mapped straight from the kernel, into blocks of one size class each, and
// hands them out and takes them back in batches, under one lock. Threads
// keep what they are using in front of it, without locks (FrameCache,
// frame_cache.h), so the lock is taken once per batch, not per frame.
//
// Why not malloc? glibc serves weft's common blocks (128 to 144 bytes, past
// its 128-byte fastbins) through its unsorted bin and coalescing: ~360
// instructions to allocate and free a frame when a cache cannot absorb it,
// as in a burst of 100,000 spawns. Taking from a page is a pop or a bump,
// and a block needs no size field in front of it (the class is in the
// frame's room byte, task_header.h), so it is 8 bytes smaller too.
//
//   page:  [ Page header (64 B) | block | block | ... | unused tail ]
//          ^ aligned to kPageBytes: a block finds its page by masking
//
// A page's blocks are in one of three places: handed out (`out`: live
// frames, or in a thread's cache), on the page's free list (given back),
// or never handed out yet (`[fresh, end)`). Invariants, under the lock:
//   - a page is on its class's open list exactly while it has a block to
//     hand out (a free one or a fresh one);
//   - a page whose last block comes back leaves its class: it is kept
//     empty, for whichever class next needs a page, or unmapped once
//     kKeptEmptyPages are kept. So a burst of tasks followed by another
//     reuses resident memory instead of faulting in fresh pages (a batch of
//     100,000 spawns took 1.8x the floor's wall time when every empty page
//     was unmapped, 1.1x with them kept: docs/benchmarks.md), and what a
//     larger burst leaves beyond that goes back to the kernel.
//   - why 64 MiB: glibc's malloc lets its own trim threshold rise that far
//     (twice its 32 MiB mmap ceiling) for a program whose frees show it
//     reuses that much, so a weft program holds no more than a malloc'ing
//     one would. At 16 MiB, 100,000 tasks in a JoinSet (about 33 MB of
//     frames with their wrappers) faulted half their pages in again on
//     every burst: 1.35x tokio's time, 0.86x once they fit.
#ifndef WEFT_RUNTIME_ALLOC_FRAME_PAGES_H_
#define WEFT_RUNTIME_ALLOC_FRAME_PAGES_H_

#include <cstddef>

namespace weft::internal {

class FramePages {
 public:
  static constexpr std::size_t kPageBytes = 64 * 1024;
  static constexpr std::size_t kGranule = 16;  // a class is in these units
  static constexpr unsigned kMaxClass = 64;    // blocks up to 1 KiB
  static constexpr std::size_t kKeptEmptyPages = 1024;  // 64 MiB

  // Puts up to `n` (at least one) blocks of `size_class` (each size_class *
  // kGranule bytes, 16-byte aligned) on the list at `*head`, linked through
  // their first word; returns how many. Throws std::bad_alloc if there is no
  // block to give and the kernel gives no page.
  static unsigned Take(unsigned size_class, void** head, unsigned n);

  // Takes back a list of blocks (linked through their first word, ending in
  // nullptr), of any classes, from any thread: each finds its own page.
  static void Give(void* head) noexcept;

  // Unmaps every kept empty page, as malloc_trim does for the heap: for a
  // program that knows its burst is over, and for measuring memory.
  static void ReleaseEmptyPages() noexcept;

  // For tests and benchmarks: blocks handed out and not given back (live
  // frames and threads' caches), pages mapped, and of those the empty ones
  // kept.
  static std::size_t BlocksOut();
  static std::size_t PagesMapped();
  static std::size_t EmptyPagesKept();
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_ALLOC_FRAME_PAGES_H_
