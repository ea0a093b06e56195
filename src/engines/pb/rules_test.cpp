#include <gtest/gtest.h>

#include <limits>

#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"

namespace communitise::pb {
namespace {

Election Parse(const std::string& text) {
  auto r = ParsePabulib(text, "t.pb");
  EXPECT_TRUE(r.ok()) << r.error().public_message;
  return *r;
}

GreedyOptions Opts(GreedyVariant v) {
  GreedyOptions o;
  o.variant = v;
  return o;
}

std::vector<std::string> Ids(const Election& e, const Result<Outcome>& o) {
  EXPECT_TRUE(o.ok()) << o.error().public_message;
  return SortedSelectedIds(e, *o);
}

// Budget 10; a: cost 6, 3 votes; b: cost 5, 2 votes; c: cost 4, 1 vote.
const char kThree[] =
    "META\nkey;value\nbudget;10\nvote_type;approval\nmin_project_score_threshold;2\n"
    "PROJECTS\nproject_id;cost\na;6\nb;5\nc;4\n"
    "VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;a,c\n";

TEST(GreedyTest, Variants) {
  Election e = Parse(kThree);
  EXPECT_EQ(Ids(e, Greedy(e, Opts(GreedyVariant::kSkip))), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(Ids(e, Greedy(e, Opts(GreedyVariant::kNoSkip))), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Ids(e, Greedy(e, Opts(GreedyVariant::kThreshold))), (std::vector<std::string>{"a"}));
  auto o = Greedy(e, Opts(GreedyVariant::kSkip));
  EXPECT_EQ(o->total_cost, 10);
  EXPECT_EQ(o->stories[1].rank, 2);
}

// Budget 12; a (5, 3 votes) and b (4, 2 votes) concern the same place; c (3, 1 vote).
const char kExclusive[] =
    "META\nkey;value\nbudget;12\nvote_type;approval\nrule;greedy-exclusive\n"
    "PROJECTS\nproject_id;cost;excludes\na;5;b\nb;4;None\nc;3;\n"
    "VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;a,c\n";

TEST(GreedyTest, ExclusiveSkipsProjectsExcludedByFundedOnes) {
  Election e = Parse(kExclusive);
  EXPECT_EQ(Ids(e, Greedy(e, Opts(GreedyVariant::kSkip))),
            (std::vector<std::string>{"a", "b", "c"}));
  auto o = Greedy(e, Opts(GreedyVariant::kExclusive));
  EXPECT_EQ(Ids(e, o), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(o->rule, "greedy-exclusive");
  EXPECT_NE(o->stories[1].detail.find("excluded by a"), std::string::npos) << o->stories[1].detail;
  // The relation is symmetric and may also come from the options.
  Election plain = Parse(kThree);
  GreedyOptions opts = Opts(GreedyVariant::kExclusive);
  opts.exclusions = {{"c", "a"}};
  plain.meta.clear();
  plain.budget = 10;
  EXPECT_EQ(Ids(plain, Greedy(plain, opts)), (std::vector<std::string>{"a"}));
  opts.exclusions = {{"a", "nope"}};
  auto bad = Greedy(plain, opts);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().public_message.find("nope"), std::string::npos);
}

TEST(GreedyTest, ExclusiveAppliesTheMetaThreshold) {
  std::string text = kExclusive;
  text.replace(text.find("rule;"), 0, "min_project_score_threshold;2\n");
  Election e = Parse(text);
  EXPECT_EQ(Ids(e, Greedy(e, Opts(GreedyVariant::kExclusive))), (std::vector<std::string>{"a"}));
}

TEST(GreedyTest, WelfareUsesSatisfactionPerCost) {
  Election e = Parse(kThree);
  // Approval: a 3/6, b 2/5, c 1/4 -> a, then b does not fit, c fits.
  EXPECT_EQ(Ids(e, GreedyWelfare(e, Utility::kApproval)), (std::vector<std::string>{"a", "c"}));
  // Ties broken by id: two projects with equal density.
  Election t = Parse("META\nkey;value\nbudget;2\nPROJECTS\nproject_id;cost\nz;2\ny;2\n"
                     "VOTES\nvoter_id;vote\n1;z,y\n");
  EXPECT_EQ(Ids(t, GreedyWelfare(t, Utility::kCost)), (std::vector<std::string>{"y"}));
}

// Two groups: 3 voters want a (cost 6), 1 voter wants b (cost 3). Budget 8, so each
// voter holds 2. a: 3 supporters hold 6 = cost, rho = 1/3 with cost utility... b is
// unaffordable (1 supporter holds 2 < 3).
TEST(MesTest, SmallExact) {
  Election e = Parse("META\nkey;value\nbudget;8\nPROJECTS\nproject_id;cost\na;6\nb;3\n"
                     "VOTES\nvoter_id;vote\n1;a\n2;a\n3;a\n4;b\n");
  auto o = EqualShares(e, Utility::kCost, Completion::kNone);
  EXPECT_EQ(Ids(e, o), (std::vector<std::string>{"a"}));
  EXPECT_EQ(o->per_voter_budget, mpq_class(2));
  // add1: at 3 per voter b becomes affordable: 6 + 3 = 9 > 8 overspends? a costs 6 and
  // b 3: 9 > 8, so the previous outcome (budget 2) stays.
  auto add1 = EqualShares(e, Utility::kCost, Completion::kAdd1);
  EXPECT_EQ(Ids(e, add1), (std::vector<std::string>{"a"}));
  EXPECT_EQ(add1->per_voter_budget, mpq_class(2));
  auto util = EqualShares(e, Utility::kCost, Completion::kUtilitarian);
  EXPECT_EQ(Ids(e, util), (std::vector<std::string>{"a"}));
}

TEST(MesTest, ExactTieGoesToSmallerId) {
  // Symmetric: both projects cost 2, one supporter each, budget 2 (1 per voter)...
  // with 2 voters each holding 2 (budget 4), both affordable at rho = 1/2... tie.
  Election e = Parse("META\nkey;value\nbudget;2\nPROJECTS\nproject_id;cost\nq;1\np;1\n"
                     "VOTES\nvoter_id;vote\n1;q\n2;p\n");
  auto o = EqualShares(e, Utility::kApproval, Completion::kNone);
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->selected.size(), 2u);
  EXPECT_EQ(e.projects[o->selected[0]].id, "p");
  EXPECT_GE(o->exact_runs, 1);  // the tie is decided by the exact run
}

TEST(MesTest, NearTieSettledInExtendedPrecision) {
  // q's rho (10^9) is 10^-9 below p's (10^9 + 1): inside double's margin, outside that
  // of the extended rerun, which funds q first without exact arithmetic.
  Election e = Parse("META\nkey;value\nbudget;4000000000\nPROJECTS\nproject_id;cost\n"
                     "q;1000000000\np;1000000001\nVOTES\nvoter_id;vote\n1;q\n2;p\n");
  auto o = EqualShares(e, Utility::kApproval, Completion::kNone);
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->selected.size(), 2u);
  EXPECT_EQ(e.projects[o->selected[0]].id, "q");
  if (std::numeric_limits<long double>::digits > std::numeric_limits<double>::digits) {
    EXPECT_GE(o->precise_runs, 1);
    EXPECT_EQ(o->exact_runs, 0);
  }
  auto exact = EqualSharesExactOnly(e, Utility::kApproval, Completion::kNone);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(o->selected, exact->selected);
}

TEST(MesTest, FilteredEqualsExact) {
  Election e = Parse("META\nkey;value\nbudget;100\nvote_type;cumulative\n"
                     "PROJECTS\nproject_id;cost\na;30\nb;45\nc;50\nd;10\n"
                     "VOTES\nvoter_id;vote;points\n1;a,b;3,1\n2;b,c;2,2\n3;c,d;1,3\n"
                     "4;a,c,d;1,1,2\n5;b;4\n");
  for (Utility u : {Utility::kCost, Utility::kApproval, Utility::kPoints}) {
    for (Completion c : {Completion::kNone, Completion::kAdd1, Completion::kAdd1Checker,
                         Completion::kUtilitarian}) {
      auto fast = EqualShares(e, u, c);
      auto exact = EqualSharesExactOnly(e, u, c);
      ASSERT_TRUE(fast.ok());
      ASSERT_TRUE(exact.ok());
      EXPECT_EQ(fast->selected, exact->selected);
      EXPECT_EQ(fast->per_voter_budget, exact->per_voter_budget);
      EXPECT_LE(fast->total_cost, e.budget);
    }
  }
}

TEST(PhragmenTest, LoadsAndStop) {
  // a: cost 4, 4 supporters -> load 1. b: cost 3, 1 supporter (load 3)...
  Election e = Parse("META\nkey;value\nbudget;6\nPROJECTS\nproject_id;cost\na;4\nb;3\nc;2\n"
                     "VOTES\nvoter_id;vote\n1;a\n2;a\n3;a,c\n4;a,c\n5;b\n");
  auto o = SequentialPhragmen(e);
  ASSERT_TRUE(o.ok());
  // Round 1: a at 1; round 2: c at (2 + 1 + 1) / 2 = 2; round 3: b at 3 does not fit.
  EXPECT_EQ(Ids(e, o), (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(o->phragmen_loads.size(), 2u);
  EXPECT_EQ(o->phragmen_loads[0], mpq_class(1));
  EXPECT_EQ(o->phragmen_loads[1], mpq_class(2));
}

TEST(MaxWelfareTest, FindsKnapsackOptimum) {
  // Greedy by density takes a (3/6) and then only c fits: welfare 4; optimum b + c... 
  Election e = Parse(kThree);
  auto o = MaxWelfare(e, Utility::kApproval);
  ASSERT_TRUE(o.ok());
  // a+c: 3+1 = 4 (cost 10); b+c: 2+1 = 3; a alone 3. Optimum is a + c.
  EXPECT_EQ(Ids(e, o), (std::vector<std::string>{"a", "c"}));
  Election k = Parse("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nx;6\ny;5\nz;5\n"
                     "VOTES\nvoter_id;vote\n1;x,y,z\n2;x,y,z\n3;x\n4;y\n5;z\n");
  // Approval: x 3, y 3, z 3; density x 0.5, y 0.6, z 0.6 -> y + z = 6 beats x alone.
  EXPECT_EQ(Ids(k, MaxWelfare(k, Utility::kApproval)), (std::vector<std::string>{"y", "z"}));
}

TEST(RulesTest, PointsUtilityNeedsPoints) {
  Election e = Parse(kThree);
  EXPECT_FALSE(EqualShares(e, Utility::kPoints, Completion::kNone).ok());
}

}  // namespace
}  // namespace communitise::pb
