#include <gtest/gtest.h>

#include "communitise/pb/election.h"
#include "communitise/pb/margins.h"

namespace communitise::pb {
namespace {

TEST(MarginsTest, GreedyExact) {
  // Budget 10; a: 6 (3 votes), b: 5 (2 votes), c: 4 (1 vote). Greedy funds a and c.
  auto e = ParsePabulib("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;6\nb;5\nc;4\n"
                        "VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;a,c\n", "t.pb");
  ASSERT_TRUE(e.ok());
  MarginRule rule;
  auto m = ComputeMargins(*e, rule);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  const ProjectMargin& b = (*m)[0];
  EXPECT_EQ(b.project, 1);
  // b needs to come before a: 3 votes and a smaller id than "a"? No: "b" > "a", so 4
  // votes, 2 more.
  EXPECT_EQ(b.extra_supporters, 2);
  // At its turn 4 is left: cut 1.
  EXPECT_EQ(b.cost_reduction, 1);
}

TEST(MarginsTest, GreedyExclusive) {
  // Budget 12; a (5, 3 votes) excludes b (4, 2 votes); c (3, 1 vote). Funded: a, c.
  auto e = ParsePabulib("META\nkey;value\nbudget;12\nPROJECTS\nproject_id;cost;excludes\n"
                        "a;5;b\nb;4;\nc;3;\nVOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;a,c\n",
                        "t.pb");
  ASSERT_TRUE(e.ok());
  MarginRule rule;
  rule.greedy.variant = GreedyVariant::kExclusive;
  auto m = ComputeMargins(*e, rule);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].project, 1);
  // b must overtake a (4 votes: 2 more); no cost cut helps while a is funded first.
  EXPECT_EQ((*m)[0].extra_supporters, 2);
  EXPECT_FALSE((*m)[0].cost_reduction.has_value());
}

TEST(MarginsTest, MesMarginsWorkWhenApplied) {
  auto e = ParsePabulib("META\nkey;value\nbudget;8\nPROJECTS\nproject_id;cost\na;6\nb;3\n"
                        "VOTES\nvoter_id;vote\n1;a\n2;a\n3;a\n4;b\n", "t.pb");
  ASSERT_TRUE(e.ok());
  MarginRule rule;
  rule.kind = MarginRule::Kind::kMes;
  auto m = ComputeMargins(*e, rule);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  // b (cost 3) has one supporter holding 2. With one more supporter: 5 voters, 8/5
  // each; b's two supporters hold 3.2 >= 3 -> funded; a: 3 * 1.6 = 4.8 < 6.
  EXPECT_EQ((*m)[0].extra_supporters, 1);
  EXPECT_TRUE((*m)[0].extra_supporters_exact);
  // Cost cut: b must cost at most 2 (its supporter's money): cut 1.
  EXPECT_EQ((*m)[0].cost_reduction, 1);
  EXPECT_TRUE((*m)[0].cost_reduction_exact);
}

}  // namespace
}  // namespace communitise::pb
