#include "communitise/sortition/model.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace communitise::sortition {
namespace {

using testing::MakeProblem;

Problem Small(std::vector<std::string> households = {}) {
  return MakeProblem({{"gender", {{"f", 1, 2}, {"m", 1, 2}}}},
                     {{"f"}, {"f"}, {"m"}, {"m"}, {"f"}}, 3, households);
}

TEST(GroupTypesTest, IdenticalPeopleShareAType) {
  Problem p = Small();
  AgentTypes t = GroupTypes(p);
  ASSERT_EQ(t.size(), 2);
  EXPECT_EQ(t.members[0], (std::vector<int>{0, 1, 4}));
  EXPECT_EQ(t.members[1], (std::vector<int>{2, 3}));
  EXPECT_TRUE(t.exclusive_groups.empty());
}

TEST(GroupTypesTest, SharedHouseholdMembersStandAlone) {
  Problem p = Small({"a", "b", "a", "", "c"});
  AgentTypes t = GroupTypes(p);
  // p1 and p3 share household a: each its own type; p2, p5 (alone) share a type.
  EXPECT_EQ(t.size(), 4);
  ASSERT_EQ(t.exclusive_groups.size(), 1u);
  EXPECT_EQ(t.exclusive_groups[0], (std::vector<int>{t.type_of[0], t.type_of[2]}));
  EXPECT_EQ(t.type_of[1], t.type_of[4]);
  EXPECT_NE(t.type_of[0], t.type_of[1]);
}

TEST(FeasibilityOfPanelsTest, QuotasSizeAndHouseholds) {
  Problem p = Small({"a", "b", "a", "", "c"});
  EXPECT_TRUE(PanelFeasible(p, {0, 1, 3}));
  EXPECT_FALSE(PanelFeasible(p, {0, 1, 4}));  // three f, max 2
  EXPECT_FALSE(PanelFeasible(p, {0, 2, 1}));  // p1 and p3 share a household
  EXPECT_FALSE(PanelFeasible(p, {0, 0, 3}));  // someone twice
  EXPECT_FALSE(PanelFeasible(p, {0, 3}));     // too small
  AgentTypes t = GroupTypes(p);
  Composition c(t.size(), 0);
  c[t.type_of[0]] = 1;
  c[t.type_of[2]] = 1;
  c[t.type_of[1]] = 1;
  EXPECT_FALSE(CompositionFeasible(p, t, c));
  c[t.type_of[2]] = 0;
  c[t.type_of[3]] = 1;
  EXPECT_TRUE(CompositionFeasible(p, t, c));
}

TEST(ValidateProblemTest, RejectsBrokenInput) {
  Problem p = Small();
  EXPECT_TRUE(ValidateProblem(p).ok());
  Problem big = p;
  big.panel_size = 6;
  EXPECT_FALSE(ValidateProblem(big).ok());
  Problem dup = p;
  dup.people[1].id = dup.people[0].id;
  EXPECT_FALSE(ValidateProblem(dup).ok());
  Problem bad = p;
  bad.quotas.categories[0].values[0].min = 3;
  EXPECT_FALSE(ValidateProblem(bad).ok());
}

}  // namespace
}  // namespace communitise::sortition
