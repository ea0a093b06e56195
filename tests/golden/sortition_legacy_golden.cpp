// LEXIMIN's minimum probability is never below the legacy algorithm's, estimated from
// 10,000 legacy draws on each shared instance (slow: a few seconds per instance).
#include <gtest/gtest.h>

#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/legacy.h"
#include "communitise/sortition/leximin.h"
#include "sortition_case.h"

namespace communitise::sortition::golden {
namespace {

class SortitionLegacyGolden : public ::testing::TestWithParam<Case> {};

std::vector<Case> FeasibleCases() {
  std::vector<Case> out;
  for (Case& c : LoadCases()) {
    if (c.Get("expect", "feasible") == "feasible") out.push_back(std::move(c));
  }
  return out;
}

TEST_P(SortitionLegacyGolden, LeximinMinimumAtLeastLegacy) {
  const Case& c = GetParam();
  auto p = LoadProblem(c);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  auto legacy = EstimateLegacy(*p, 1234, 10000);
  ASSERT_TRUE(legacy.ok()) << legacy.error().ToString();
  auto lp = MakeClpSolver();
  auto mip = MakeCbcSolver();
  auto leximin = Leximin(*p, *lp, *mip);
  ASSERT_TRUE(leximin.ok());
  RecordProperty("legacy_min", std::to_string(legacy->min_probability));
  EXPECT_GE(leximin->distribution.min_probability + 1e-6, legacy->min_probability);
  // Both allocate k seats in expectation.
  double total = 0;
  for (double v : legacy->probabilities) total += v;
  EXPECT_NEAR(total, p->panel_size, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Shared, SortitionLegacyGolden, ::testing::ValuesIn(FeasibleCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace communitise::sortition::golden
