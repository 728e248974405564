#include "runtime/alloc/frame_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <mutex>
#include <new>
#include <type_traits>

#include "runtime/io/sys/sys.h"

namespace weft::internal {
namespace {

constexpr std::size_t kPageBytes = FramePages::kPageBytes;
constexpr std::size_t kHeaderBytes = 64;  // keeps every block 16-aligned

struct Page {
  Page* next;  // the class's open list, or the kept empty pages
  Page* prev;
  void* free;            // given back, linked through their first word
  unsigned char* fresh;  // [fresh, end): never handed out
  unsigned char* end;    // past the last whole block
  std::size_t out;       // handed out, not given back
  unsigned size_class;

  bool Full() const { return free == nullptr && fresh == end; }
};
static_assert(sizeof(Page) <= kHeaderBytes);

Page* PageOf(void* block) {
  return reinterpret_cast<Page*>(reinterpret_cast<std::uintptr_t>(block) &
                                 ~(kPageBytes - 1));
}

// A kPageBytes-aligned mapping, or nullptr. The kernel places a new mapping
// just below the last, so after the first aligned page most are aligned as
// they come; the others are cut out of a mapping twice the size.
void* MapAligned() {
  void* p = sys::MapMemory(kPageBytes);
  if (p == MAP_FAILED) return nullptr;
  if ((reinterpret_cast<std::uintptr_t>(p) & (kPageBytes - 1)) == 0) return p;
  munmap(p, kPageBytes);
  void* const mapped = sys::MapMemory(2 * kPageBytes);
  if (mapped == MAP_FAILED) return nullptr;
  auto* wide = static_cast<unsigned char*>(mapped);
  const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(wide);
  auto* page = wide + (((at + kPageBytes - 1) & ~(kPageBytes - 1)) - at);
  if (page != wide) munmap(wide, page - wide);
  munmap(page + kPageBytes, wide + 2 * kPageBytes - (page + kPageBytes));
  return page;
}

// Everything here is guarded by `mu`. Never destroyed (trivially
// destructible, constant-initialised): a frame freed by a static
// destructor, after every thread's cache has closed, still comes here.
struct Heap {
  std::mutex mu;
  Page* open[FramePages::kMaxClass + 1];
  Page* empty;  // kept for any class, linked through `next`
  std::size_t empty_count;
  std::size_t blocks_out;
  std::size_t pages_mapped;

  void LinkOpen(Page* page) {
    page->prev = nullptr;
    page->next = open[page->size_class];
    if (page->next) page->next->prev = page;
    open[page->size_class] = page;
  }
  void Unlink(Page* page) {
    if (page->prev) {
      page->prev->next = page->next;
    } else {
      open[page->size_class] = page->next;
    }
    if (page->next) page->next->prev = page->prev;
  }

  // A page carved for `size_class`, on its open list: a kept empty one if
  // there is one (its memory is resident already), else a new mapping.
  Page* NewPage(unsigned size_class) {
    void* memory = empty;
    if (memory != nullptr) {
      empty = empty->next;
      --empty_count;
    } else if ((memory = MapAligned()) != nullptr) {
      ++pages_mapped;
    } else {
      return nullptr;
    }
    auto* page = new (memory) Page{};
    const std::size_t block_bytes = size_class * FramePages::kGranule;
    page->fresh = static_cast<unsigned char*>(memory) + kHeaderBytes;
    page->end =
        page->fresh + (kPageBytes - kHeaderBytes) / block_bytes * block_bytes;
    page->size_class = size_class;
    LinkOpen(page);
    return page;
  }
  // The page's last block came back.
  void Retire(Page* page) {
    Unlink(page);
    if (empty_count < FramePages::kKeptEmptyPages) {
      page->next = empty;
      empty = page;
      ++empty_count;
    } else {
      Unmap(page);
    }
  }
  void Unmap(Page* page) {
    --pages_mapped;
    munmap(page, kPageBytes);
  }
};
static_assert(std::is_trivially_destructible_v<Heap>);
constinit Heap heap{};

}  // namespace

unsigned FramePages::Take(unsigned size_class, void** head, unsigned n) {
  const std::size_t block_bytes = size_class * kGranule;
  std::lock_guard<std::mutex> lock(heap.mu);
  unsigned taken = 0;
  while (taken < n) {
    Page* page = heap.open[size_class];
    if (page == nullptr && (page = heap.NewPage(size_class)) == nullptr) {
      if (taken > 0) break;
      throw std::bad_alloc();
    }
    // Drain this page before the next: fuller pages, emptier others.
    while (taken < n && !page->Full()) {
      void* block;
      if (page->free != nullptr) {
        block = page->free;
        page->free = *static_cast<void**>(block);
      } else {
        block = page->fresh;
        page->fresh += block_bytes;
      }
      *static_cast<void**>(block) = *head;
      *head = block;
      ++page->out;
      ++taken;
    }
    if (page->Full()) heap.Unlink(page);
  }
  heap.blocks_out += taken;
  return taken;
}

void FramePages::Give(void* head) noexcept {
  if (head == nullptr) return;  // a thread's empty list, at its exit
  std::lock_guard<std::mutex> lock(heap.mu);
  while (void* block = head) {
    head = *static_cast<void**>(block);
    Page* page = PageOf(block);
    const bool was_full = page->Full();
    *static_cast<void**>(block) = page->free;
    page->free = block;
    --page->out;
    --heap.blocks_out;
    if (was_full) heap.LinkOpen(page);
    if (page->out == 0) heap.Retire(page);
  }
}

void FramePages::ReleaseEmptyPages() noexcept {
  std::lock_guard<std::mutex> lock(heap.mu);
  while (Page* page = heap.empty) {
    heap.empty = page->next;
    --heap.empty_count;
    heap.Unmap(page);
  }
}

std::size_t FramePages::BlocksOut() {
  std::lock_guard<std::mutex> lock(heap.mu);
  return heap.blocks_out;
}

std::size_t FramePages::PagesMapped() {
  std::lock_guard<std::mutex> lock(heap.mu);
  return heap.pages_mapped;
}

std::size_t FramePages::EmptyPagesKept() {
  std::lock_guard<std::mutex> lock(heap.mu);
  return heap.empty_count;
}

}  // namespace weft::internal
