// LEXIMIN and the feasibility check on the shared sortition instances: one test per
// case file in tests/golden/sortition/.
#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/feasibility.h"
#include "communitise/sortition/leximin.h"
#include "communitise/sortition/lottery.h"
#include "sortition_case.h"

namespace communitise::sortition::golden {
namespace {

class SortitionGolden : public ::testing::TestWithParam<Case> {};

void CheckLeximin(const Case& c, const Problem& p) {
  auto lp = MakeClpSolver();
  auto mip = MakeCbcSolver();
  auto r = Leximin(p, *lp, *mip);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Distribution& d = r->distribution;
  EXPECT_NEAR(d.min_probability, std::stod(c.Get("leximin_min")), 1e-4);
  EXPECT_NEAR(std::accumulate(d.probabilities.begin(), d.probabilities.end(), 0.0),
              p.panel_size, 1e-6);
  EXPECT_NEAR(std::accumulate(d.weights.begin(), d.weights.end(), 0.0), 1.0, 1e-9);
  for (const Composition& panel : d.panels) {
    EXPECT_TRUE(CompositionFeasible(p, d.types, panel));
  }
  // Panels drawn from the distribution are valid panels of people, and the same seed
  // gives the same panel.
  for (uint64_t seed : {1u, 2u, 3u, 20261125u}) {
    auto a = DrawPanel(p, d, seed), b = DrawPanel(p, d, seed);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(PanelFeasible(p, a->panel));
    EXPECT_EQ(a->panel, b->panel);
  }
}

void CheckInfeasible(const Case& c, const Problem& p) {
  auto mip = MakeCbcSolver();
  auto r = CheckFeasibility(p, *mip);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->feasible);
  ASSERT_TRUE(r->relaxable);
  ASSERT_FALSE(r->changes.empty());
  const auto allowed = Split(c.Get("relax_categories"));
  std::set<std::string> named;
  int seats = 0;
  for (const QuotaChange& ch : r->changes) {
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), ch.category), allowed.end())
        << ch.category << "/" << ch.value;
    named.insert(ch.category + "/" + ch.value);
    seats += (ch.old_min - ch.new_min) + (ch.new_max - ch.old_max);
  }
  for (const std::string& v : Split(c.Get("relax_values"))) {
    EXPECT_TRUE(named.count(v)) << v;
  }
  if (!c.Get("relax_seats").empty()) {
    EXPECT_EQ(seats, std::stoi(c.Get("relax_seats")));
  }
  // The suggested quotas really admit a panel: the witness meets them, and a fresh
  // check of the relaxed quotas finds them feasible; LEXIMIN refuses the original.
  Problem relaxed = p;
  relaxed.quotas = r->relaxed;
  EXPECT_TRUE(CompositionFeasible(relaxed, GroupTypes(relaxed), r->witness));
  auto again = CheckFeasibility(relaxed, *mip);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->feasible);
  auto lp = MakeClpSolver();
  auto leximin = Leximin(p, *lp, *mip);
  ASSERT_FALSE(leximin.ok());
  EXPECT_EQ(leximin.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SortitionGolden, Case) {
  const Case& c = GetParam();
  auto p = LoadProblem(c);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  if (c.Get("expect", "feasible") == "infeasible") {
    CheckInfeasible(c, *p);
  } else {
    auto mip = MakeCbcSolver();
    auto f = CheckFeasibility(*p, *mip);
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(f->feasible);
    CheckLeximin(c, *p);
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, SortitionGolden, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace communitise::sortition::golden
