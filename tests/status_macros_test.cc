// CO_RETURN_IF_ERROR / CO_ASSIGN_OR_RETURN read like Rust's `?`.
#include "runtime/status_macros.h"

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

Task<absl::StatusOr<int>> Half(int x) {
  if (x % 2 != 0) co_return absl::InvalidArgumentError("odd");
  co_return x / 2;
}

Task<absl::StatusOr<int>> Quarter(int x) {
  CO_ASSIGN_OR_RETURN(int half, co_await Half(x));
  CO_ASSIGN_OR_RETURN(int quarter, co_await Half(half));
  co_return quarter;
}

Task<absl::Status> CheckEven(int x) {
  CO_RETURN_IF_ERROR(co_await Half(x));
  CO_RETURN_IF_ERROR(absl::OkStatus());
  co_return absl::OkStatus();
}

TEST(StatusMacros, PropagateErrorsAndUnwrapValues) {
  Runtime rt;
  EXPECT_EQ(*rt.BlockOn(Quarter(8)), 2);
  EXPECT_TRUE(absl::IsInvalidArgument(rt.BlockOn(Quarter(6)).status()));
  EXPECT_TRUE(rt.BlockOn(CheckEven(4)).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(rt.BlockOn(CheckEven(3))));
}

}  // namespace
}  // namespace weft
