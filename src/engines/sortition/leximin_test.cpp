#include "communitise/sortition/leximin.h"

#include <gtest/gtest.h>

#include <numeric>

#include "communitise/sortition/coin_solver.h"
#include "test_util.h"

namespace communitise::sortition {
namespace {

using testing::EnumeratingMipSolver;
using testing::MakeProblem;

// 2 women, 4 men; panel of 2 with exactly one woman: women 1/2, men 1/4.
Problem Unbalanced() {
  return MakeProblem({{"gender", {{"f", 1, 1}, {"m", 1, 1}}}},
                     {{"f"}, {"f"}, {"m"}, {"m"}, {"m"}, {"m"}}, 2);
}

void ExpectValid(const Problem& p, const LeximinResult& r) {
  const Distribution& d = r.distribution;
  double weights = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
  EXPECT_NEAR(weights, 1.0, 1e-9);
  double total = std::accumulate(d.probabilities.begin(), d.probabilities.end(), 0.0);
  EXPECT_NEAR(total, p.panel_size, 1e-6);
  for (const Composition& c : d.panels) EXPECT_TRUE(CompositionFeasible(p, d.types, c));
}

TEST(LeximinTest, QuotasForceUnequalChances) {
  Problem p = Unbalanced();
  auto lp = MakeClpSolver();
  EnumeratingMipSolver mip;
  auto r = Leximin(p, *lp, mip);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ExpectValid(p, *r);
  EXPECT_NEAR(r->distribution.probabilities[0], 0.5, 1e-7);
  EXPECT_NEAR(r->distribution.probabilities[2], 0.25, 1e-7);
  EXPECT_NEAR(r->distribution.min_probability, 0.25, 1e-7);
  EXPECT_EQ(r->stats.stages, 2);  // men fixed first, then women
}

TEST(LeximinTest, SecondLevelIsMaximisedToo) {
  // Two categories; the leximin vector is checked level by level against the same
  // computation with CBC, and the minimum against an exhaustive bound.
  Problem p = MakeProblem(
      {{"gender", {{"f", 1, 2}, {"m", 1, 2}}}, {"age", {{"young", 1, 1}, {"old", 1, 2}}}},
      {{"f", "young"}, {"f", "old"}, {"f", "old"}, {"m", "old"}, {"m", "young"},
       {"m", "young"}, {"m", "old"}},
      3);
  auto lp1 = MakeClpSolver();
  EnumeratingMipSolver brute;
  auto a = Leximin(p, *lp1, brute);
  auto lp2 = MakeClpSolver();
  auto cbc = MakeCbcSolver();
  auto b = Leximin(p, *lp2, *cbc);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectValid(p, *a);
  std::vector<double> x = a->distribution.probabilities, y = b->distribution.probabilities;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], 1e-6);
  // One young per panel and 3 young people: no young person can exceed 1/3 on
  // average, so the minimum is at most 1/3.
  EXPECT_LE(x[0], 1.0 / 3 + 1e-9);
  EXPECT_GT(x[0], 0.2);
}

TEST(LeximinTest, HouseholdRuleIsKept) {
  // p1 and p2 live together; a panel of 2 women from 3 women must not hold both.
  Problem p = MakeProblem({{"gender", {{"f", 2, 2}, {"m", 0, 0}}}},
                          {{"f"}, {"f"}, {"f"}, {"m"}}, 2, {"h1", "h1", "h2", "h3"});
  auto lp = MakeClpSolver();
  EnumeratingMipSolver mip;
  auto r = Leximin(p, *lp, mip);
  ASSERT_TRUE(r.ok());
  ExpectValid(p, *r);
  // Every panel holds p3 and one of p1, p2.
  EXPECT_NEAR(r->distribution.probabilities[2], 1.0, 1e-7);
  EXPECT_NEAR(r->distribution.probabilities[0], 0.5, 1e-7);
  EXPECT_NEAR(r->distribution.probabilities[3], 0.0, 1e-7);
}

TEST(LeximinTest, InfeasibleQuotasAreAnError) {
  Problem p = MakeProblem({{"gender", {{"f", 2, 2}, {"m", 1, 1}}}},
                          {{"f"}, {"m"}, {"m"}}, 3);
  auto lp = MakeClpSolver();
  EnumeratingMipSolver mip;
  auto r = Leximin(p, *lp, mip);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(LeximinTest, ReportsProgressWithAValidBound) {
  Problem p = Unbalanced();
  auto lp = MakeClpSolver();
  EnumeratingMipSolver mip;
  LeximinOptions options;
  int calls = 0;
  bool bound_ok = true;
  options.progress = [&](const LeximinProgress& pr) {
    ++calls;
    bound_ok = bound_ok && pr.bound >= pr.value - 1e-9 && pr.types == 2;
  };
  ASSERT_TRUE(Leximin(p, *lp, mip, options).ok());
  EXPECT_GT(calls, 0);
  EXPECT_TRUE(bound_ok);
}

}  // namespace
}  // namespace communitise::sortition
