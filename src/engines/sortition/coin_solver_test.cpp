#include "communitise/sortition/coin_solver.h"

#include <gtest/gtest.h>

namespace communitise::sortition {
namespace {

TEST(ClpSolverTest, DualsAreInTheMinimiseSense) {
  // min −x − y  s.t.  x + 2y <= 4 (row 0), x <= 3 (row 1), x, y >= 0.
  auto lp = MakeClpSolver();
  const int r0 = lp->AddRow(-kInfinity, 4.0);
  const int r1 = lp->AddRow(-kInfinity, 3.0);
  lp->AddColumn(-1.0, 0.0, kInfinity, {{r0, 1.0}, {r1, 1.0}});
  lp->AddColumn(-1.0, 0.0, kInfinity, {{r0, 2.0}});
  ASSERT_TRUE(lp->Solve().optimal());
  EXPECT_NEAR(lp->Objective(), -3.5, 1e-9);
  const auto y = lp->RowDuals();
  // Raising row 0's bound by 1 lowers the objective by 0.5, row 1's by 0.5.
  EXPECT_NEAR(y[r0], -0.5, 1e-9);
  EXPECT_NEAR(y[r1], -0.5, 1e-9);
}

TEST(ClpSolverTest, WarmStartAfterAddingAColumn) {
  auto lp = MakeClpSolver();
  const int r = lp->AddRow(1.0, 1.0);
  lp->AddColumn(2.0, 0.0, kInfinity, {{r, 1.0}});
  ASSERT_TRUE(lp->Solve().optimal());
  EXPECT_NEAR(lp->Objective(), 2.0, 1e-9);
  lp->AddColumn(1.0, 0.0, kInfinity, {{r, 1.0}});
  ASSERT_TRUE(lp->Solve().optimal());
  EXPECT_NEAR(lp->Objective(), 1.0, 1e-9);
  EXPECT_NEAR(lp->Primal()[1], 1.0, 1e-9);
  lp->SetCoefficient(r, 1, 2.0);
  ASSERT_TRUE(lp->Solve().optimal());
  EXPECT_NEAR(lp->Objective(), 0.5, 1e-9);
}

TEST(ClpSolverTest, ReportsInfeasibility) {
  auto lp = MakeClpSolver();
  const int r = lp->AddRow(5.0, kInfinity);
  lp->AddColumn(1.0, 0.0, 1.0, {{r, 1.0}});
  SolveStatus s = lp->Solve();
  EXPECT_EQ(s.call, CallStatus::kOk);
  EXPECT_EQ(s.model, ModelStatus::kInfeasible);
}

TEST(CbcSolverTest, SolvesAKnapsack) {
  MipModel m;
  m.maximise = true;
  m.AddColumn(5, 0, 1, true);
  m.AddColumn(4, 0, 1, true);
  m.AddColumn(3, 0, 1, true);
  m.AddRow({{0, 2}, {1, 3}, {2, 1}}, -kInfinity, 4);
  auto mip = MakeCbcSolver();
  MipSolution s = mip->Solve(m);
  ASSERT_TRUE(s.status.optimal());
  EXPECT_NEAR(s.objective, 8.0, 1e-9);
  EXPECT_EQ(s.x, (std::vector<double>{1, 0, 1}));
}

TEST(CbcSolverTest, ReportsInfeasibility) {
  MipModel m;
  m.AddColumn(1, 0, 3, true);
  m.AddColumn(1, 0, 3, true);
  m.AddRow({{0, 2}, {1, 2}}, 3, 3);  // 2x + 2y = 3 has no integer solution
  auto mip = MakeCbcSolver();
  MipSolution s = mip->Solve(m);
  EXPECT_EQ(s.status.call, CallStatus::kOk);
  EXPECT_EQ(s.status.model, ModelStatus::kInfeasible);
}

}  // namespace
}  // namespace communitise::sortition
