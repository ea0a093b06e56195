#include "communitise/sortition/feasibility.h"

#include <gtest/gtest.h>

#include "communitise/sortition/coin_solver.h"
#include "test_util.h"

namespace communitise::sortition {
namespace {

using testing::EnumeratingMipSolver;
using testing::MakeProblem;

TEST(FeasibilityTest, FeasibleQuotasNeedNoChange) {
  Problem p = MakeProblem({{"gender", {{"f", 1, 2}, {"m", 1, 2}}}},
                          {{"f"}, {"m"}, {"m"}, {"f"}}, 3);
  auto mip = MakeCbcSolver();
  auto r = CheckFeasibility(p, *mip);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->feasible);
  EXPECT_TRUE(r->changes.empty());
}

TEST(FeasibilityTest, SmallestRelaxationNamesTheConflict) {
  // Minimums 3 + 2 exceed the panel of 4; only 2 women exist in the pool.
  Problem p = MakeProblem({{"gender", {{"f", 3, 4}, {"m", 2, 4}}}, {"age", {{"y", 0, 4}, {"o", 0, 4}}}},
                          {{"f", "y"}, {"f", "o"}, {"m", "y"}, {"m", "o"}, {"m", "o"}}, 4);
  for (bool brute : {false, true}) {
    std::unique_ptr<MipSolver> cbc = MakeCbcSolver();
    EnumeratingMipSolver enumerate;
    MipSolver& mip = brute ? static_cast<MipSolver&>(enumerate) : *cbc;
    auto r = CheckFeasibility(p, mip);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->feasible);
    ASSERT_TRUE(r->relaxable);
    ASSERT_EQ(r->changes.size(), 1u);
    EXPECT_EQ(r->changes[0].category, "gender");
    EXPECT_EQ(r->changes[0].value, "f");
    EXPECT_EQ(r->changes[0].new_min, 2);
    // The relaxed quotas really admit a panel.
    Problem relaxed = p;
    relaxed.quotas = r->relaxed;
    EXPECT_TRUE(CompositionFeasible(relaxed, GroupTypes(relaxed), r->witness));
    EXPECT_NE(r->summary.find("gender/f [3,4] -> [2,4]"), std::string::npos) << r->summary;
    ASSERT_EQ(r->conflicts.size(), 1u);
    EXPECT_EQ(r->conflicts[0], "gender/f: min 3 must fall to 2: only 2 in the pool");
  }
}

TEST(FeasibilityTest, MinimumsAddingUpPastThePanelAreNamed) {
  Problem p = MakeProblem({{"gender", {{"f", 3, 4}, {"m", 2, 4}}}},
                          {{"f"}, {"f"}, {"f"}, {"m"}, {"m"}, {"m"}}, 4);
  auto mip = MakeCbcSolver();
  auto r = CheckFeasibility(p, *mip);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->changes.size(), 1u);
  ASSERT_EQ(r->conflicts.size(), 1u);
  EXPECT_NE(r->conflicts[0].find("gender minimums f 3 + m 2 = 5 exceed the panel of 4"),
            std::string::npos)
      << r->conflicts[0];
}

TEST(FeasibilityTest, FlexBoundsLimitTheRelaxation) {
  Problem p = MakeProblem({{"gender", {{"f", 3, 4}, {"m", 0, 4}}}},
                          {{"f"}, {"f"}, {"m"}, {"m"}}, 4);
  p.quotas.categories[0].values[0].min_flex = 3;  // the women's minimum may not bend
  auto mip = MakeCbcSolver();
  auto r = CheckFeasibility(p, *mip);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->feasible);
  EXPECT_FALSE(r->relaxable);
}

}  // namespace
}  // namespace communitise::sortition
