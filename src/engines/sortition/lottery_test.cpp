#include "communitise/sortition/lottery.h"

#include <gtest/gtest.h>

#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/random.h"
#include "test_util.h"

namespace communitise::sortition {
namespace {

using testing::MakeProblem;

TEST(RngTest, MatchesTheSpecification) {
  // Reference values computed independently from the algorithm stated in random.h.
  Rng zero(0);
  EXPECT_EQ(zero.Next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero.Next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(zero.Next(), 0x1a5f849d4933e6e0ULL);
  Rng r(42);
  std::vector<uint64_t> below;
  for (int i = 0; i < 10; ++i) below.push_back(r.Below(10));
  EXPECT_EQ(below, (std::vector<uint64_t>{2, 2, 9, 3, 6, 4, 4, 7, 8, 5}));
  EXPECT_DOUBLE_EQ(Rng(42).Unit(), 0.08386297105988216);
}

Problem Pool() {
  return MakeProblem({{"gender", {{"f", 1, 2}, {"m", 1, 2}}}},
                     {{"f"}, {"f"}, {"m"}, {"m"}, {"m"}, {"f"}, {"m"}}, 3);
}

Distribution Leximin3() {
  Problem p = Pool();
  auto lp = MakeClpSolver();
  auto mip = MakeCbcSolver();
  auto r = Leximin(p, *lp, *mip);
  EXPECT_TRUE(r.ok());
  return r->distribution;
}

TEST(DrawPanelTest, SameSeedSamePanelAndFrequenciesFollowTheDistribution) {
  Problem p = Pool();
  Distribution d = Leximin3();
  auto a = DrawPanel(p, d, 99), b = DrawPanel(p, d, 99);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->panel, b->panel);
  std::vector<int> counts(p.people.size(), 0);
  const int draws = 20000;
  for (int s = 0; s < draws; ++s) {
    auto dr = DrawPanel(p, d, s);
    ASSERT_TRUE(dr.ok());
    ASSERT_TRUE(PanelFeasible(p, dr->panel));
    for (int i : dr->panel) ++counts[i];
  }
  for (size_t i = 0; i < counts.size(); ++i) {
    EXPECT_NEAR(static_cast<double>(counts[i]) / draws, d.probabilities[i], 0.015) << i;
  }
}

TEST(ReplaceTest, PrefersSomeoneAlikeAndKeepsQuotas) {
  Problem p = Pool();
  std::vector<int> panel = {0, 2, 3};  // f, m, m
  auto r = Replace(p, panel, 0, 5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->differing_categories, 0);
  EXPECT_TRUE(r->person == 1 || r->person == 5);
  EXPECT_EQ(r->candidates, 2);
  EXPECT_TRUE(PanelFeasible(p, r->panel));
  EXPECT_NE(r->explanation.find("replaces p1"), std::string::npos);
  auto again = Replace(p, panel, 0, 5);
  EXPECT_EQ(again->person, r->person);
}

TEST(ReplaceTest, ChangesAFeatureOnlyWhenTheQuotasAllow) {
  // Only men remain outside the panel; replacing the one woman would break f >= 1.
  Problem p = MakeProblem({{"gender", {{"f", 1, 2}, {"m", 1, 2}}}},
                          {{"f"}, {"m"}, {"m"}, {"m"}}, 3);
  auto blocked = Replace(p, {0, 1, 2}, 0, 1);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kConflict);
  Problem q = MakeProblem({{"gender", {{"f", 0, 2}, {"m", 1, 3}}}},
                          {{"f"}, {"m"}, {"m"}, {"m"}}, 3);
  auto moved = Replace(q, {0, 1, 2}, 0, 1);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->person, 3);
  EXPECT_EQ(moved->differing_categories, 1);
  EXPECT_NE(moved->explanation.find("gender: f -> m"), std::string::npos);
}

TEST(ReplaceTest, RejectsSomeoneNotOnThePanel) {
  Problem p = Pool();
  EXPECT_FALSE(Replace(p, {0, 2, 3}, 6, 1).ok());
}

}  // namespace
}  // namespace communitise::sortition
