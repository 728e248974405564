// Counts the test binary's heap blocks: linking :allocation_counter replaces
// the global operator new and delete with counting ones (malloc and free
// underneath).
#ifndef WEFT_TESTS_ALLOCATION_COUNTER_H_
#define WEFT_TESTS_ALLOCATION_COUNTER_H_

namespace weft::testing {

// Blocks allocated since the program started.
long Allocations();
// Blocks allocated and not yet freed.
long LiveBlocks();

}  // namespace weft::testing

#endif  // WEFT_TESTS_ALLOCATION_COUNTER_H_
