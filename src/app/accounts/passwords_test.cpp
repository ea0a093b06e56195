#include <gtest/gtest.h>

#include "communitise/app/accounts.h"

namespace communitise::app {
namespace {

TEST(PasswordTest, HashIsArgon2idSaltedAndVerifies) {
  auto a = HashPassword("correct horse battery staple");
  auto b = HashPassword("correct horse battery staple");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u);
  EXPECT_NE(*a, *b);  // random salt
  EXPECT_TRUE(VerifyPassword(*a, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*a, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(VerifyPassword("", ""));
}

TEST(EmailTest, Normalises) {
  EXPECT_EQ(NormaliseEmail("  Ann.Smith@Example.ORG "), "ann.smith@example.org");
  EXPECT_EQ(NormaliseEmail("a@b.co"), "a@b.co");
  EXPECT_EQ(NormaliseEmail("no-at-sign"), "");
  EXPECT_EQ(NormaliseEmail("two@@example.org"), "");
  EXPECT_EQ(NormaliseEmail("a@nodot"), "");
  EXPECT_EQ(NormaliseEmail("a b@example.org"), "");
  EXPECT_EQ(NormaliseEmail("@example.org"), "");
  EXPECT_EQ(NormaliseEmail("a@example..org"), "");
}

}  // namespace
}  // namespace communitise::app
