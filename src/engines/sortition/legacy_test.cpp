#include "communitise/sortition/legacy.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace communitise::sortition {
namespace {

using testing::MakeProblem;

Problem Pool() {
  return MakeProblem(
      {{"gender", {{"f", 2, 3}, {"m", 2, 3}}}, {"age", {{"young", 2, 2}, {"old", 3, 3}}}},
      {{"f", "young"}, {"f", "old"}, {"f", "old"}, {"m", "old"}, {"m", "young"},
       {"m", "young"}, {"m", "old"}, {"f", "old"}, {"m", "old"}},
      5, {"h1", "h1", "", "", "h2", "h2", "", "", ""});
}

TEST(LegacyTest, PanelsMeetQuotasAndHouseholds) {
  Problem p = Pool();
  Rng rng(11);
  for (int i = 0; i < 200; ++i) {
    auto panel = LegacySelect(p, rng);
    ASSERT_TRUE(panel.ok());
    EXPECT_TRUE(PanelFeasible(p, *panel));
  }
}

TEST(LegacyTest, SameSeedSamePanel) {
  Problem p = Pool();
  Rng a(2024), b(2024), c(2025);
  auto pa = LegacySelect(p, a), pb = LegacySelect(p, b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(*pa, *pb);
  // A different seed gives some other panel within a few draws.
  bool differs = false;
  for (int i = 0; i < 10 && !differs; ++i) differs = *LegacySelect(p, c) != *pa;
  EXPECT_TRUE(differs);
}

TEST(LegacyTest, EstimateSumsToPanelSize) {
  Problem p = Pool();
  auto e = EstimateLegacy(p, 5, 2000);
  ASSERT_TRUE(e.ok());
  double total = 0;
  for (double v : e->probabilities) total += v;
  EXPECT_NEAR(total, 5.0, 1e-9);
  EXPECT_GE(e->min_probability, 0.0);
  EXPECT_LE(e->max_probability, 1.0);
}

TEST(LegacyTest, ImpossibleQuotasFailAfterRetries) {
  Problem p = MakeProblem({{"gender", {{"f", 2, 2}, {"m", 0, 0}}}}, {{"f"}, {"m"}, {"m"}}, 2);
  Rng rng(1);
  auto r = LegacySelect(p, rng, 5);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace communitise::sortition
