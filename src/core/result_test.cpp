#include "communitise/core/result.h"

#include <gtest/gtest.h>

namespace communitise {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error::Field("x", "must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckPositive(int x) {
  if (x <= 0) return Error::InvalidArgument("not positive");
  return Status::Ok();
}

Status Both(int x) {
  RETURN_IF_ERROR(CheckPositive(x));
  RETURN_IF_ERROR(Half(x).status());
  return {};
}

TEST(ResultTest, PropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "x");
}

TEST(ResultTest, StatusMacros) {
  EXPECT_TRUE(Both(4).ok());
  EXPECT_EQ(Both(-2).error().public_message, "not positive");
  EXPECT_EQ(Both(3).error().fields[0].message, "must be even");
}

TEST(ResultTest, ToStringKeepsInternalApart) {
  Error e = Error::Internal("disk on fire");
  EXPECT_EQ(e.public_message, "Something went wrong on our side");
  EXPECT_NE(e.ToString().find("disk on fire"), std::string::npos);
}

}  // namespace
}  // namespace communitise
