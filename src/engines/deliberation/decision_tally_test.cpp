#include "communitise/deliberation/decision_tally.h"

#include <gtest/gtest.h>

namespace communitise::deliberation {
namespace {

DecisionRule Gdansk() {
  DecisionRule r;
  r.quorum = {0, 1};
  r.threshold = {80, 100};
  r.comparison = ThresholdComparison::kAtLeast;
  r.binding = true;
  return r;
}

TallyOutcome MustTally(const DecisionRule& rule, MotionCounts counts, std::int64_t eligible) {
  auto t = TallyCounts(rule, counts, eligible);
  EXPECT_TRUE(t.ok()) << t.error().ToString();
  return std::move(t).value();
}

TEST(DecisionTallyTest, EightyPercentOfSevenNeedsSix) {
  const TallyOutcome six = MustTally(Gdansk(), {6, 1, 0}, 7);  // 600 >= 560
  EXPECT_EQ(six.votes_cast, 7);
  EXPECT_EQ(six.for_needed, 6);
  EXPECT_TRUE(six.passed);
  EXPECT_TRUE(six.binding);
  const TallyOutcome five = MustTally(Gdansk(), {5, 2, 0}, 7);  // 500 < 560
  EXPECT_FALSE(five.threshold_met);
  EXPECT_FALSE(five.passed);
  EXPECT_FALSE(five.binding);
}

TEST(DecisionTallyTest, ExactlyAtThresholdPassesOneBelowFails) {
  EXPECT_TRUE(MustTally(Gdansk(), {8, 2, 0}, 10).passed);   // exactly 80%
  EXPECT_FALSE(MustTally(Gdansk(), {7, 3, 0}, 10).passed);  // 70%
  DecisionRule two_thirds = Gdansk();
  two_thirds.threshold = {2, 3};
  EXPECT_TRUE(MustTally(two_thirds, {6, 3, 0}, 9).passed);   // exactly 2/3
  EXPECT_FALSE(MustTally(two_thirds, {5, 3, 0}, 9).passed);  // 5/8 < 2/3
  EXPECT_EQ(MustTally(two_thirds, {5, 3, 0}, 9).for_needed, 6);
}

TEST(DecisionTallyTest, MoreThanHalfFailsOnATie) {
  DecisionRule majority;
  majority.binding = true;
  const TallyOutcome tie = MustTally(majority, {4, 4, 0}, 10);
  EXPECT_FALSE(tie.passed);
  EXPECT_EQ(tie.for_needed, 5);
  EXPECT_TRUE(MustTally(majority, {5, 4, 0}, 10).passed);
  majority.comparison = ThresholdComparison::kAtLeast;
  EXPECT_TRUE(MustTally(majority, {4, 4, 0}, 10).passed);
}

TEST(DecisionTallyTest, QuorumExactlyMetAndOneShort) {
  DecisionRule rule = Gdansk();
  rule.quorum = {50, 100};
  const TallyOutcome met = MustTally(rule, {5, 0, 0}, 10);
  EXPECT_EQ(met.quorum_needed, 5);
  EXPECT_TRUE(met.quorate);
  EXPECT_TRUE(met.binding);
  const TallyOutcome short_one = MustTally(rule, {4, 0, 0}, 10);
  EXPECT_FALSE(short_one.quorate);
  EXPECT_TRUE(short_one.threshold_met);  // unanimous, but...
  EXPECT_FALSE(short_one.passed);
  EXPECT_FALSE(short_one.binding);  // an inquorate vote never binds
  EXPECT_NE(short_one.explanation.find("not quorate"), std::string::npos);
  rule.quorum = {1, 3};
  EXPECT_EQ(MustTally(rule, {3, 0, 0}, 10).quorum_needed, 4);  // ceil(10/3)
  EXPECT_FALSE(MustTally(rule, {3, 0, 0}, 10).quorate);
}

TEST(DecisionTallyTest, AbstentionsAndQuorumIsARuleParameter) {
  DecisionRule rule = Gdansk();
  rule.quorum = {50, 100};
  rule.abstentions_count_towards_quorum = true;
  EXPECT_TRUE(MustTally(rule, {3, 0, 2}, 10).quorate);
  rule.abstentions_count_towards_quorum = false;
  const TallyOutcome t = MustTally(rule, {3, 0, 2}, 10);
  EXPECT_EQ(t.took_part, 3);
  EXPECT_FALSE(t.quorate);
}

TEST(DecisionTallyTest, AbstentionsInTheThresholdBaseIsARuleParameter) {
  DecisionRule rule = Gdansk();
  rule.abstentions_in_threshold_base = false;
  EXPECT_TRUE(MustTally(rule, {7, 1, 2}, 10).passed);  // 7 of 8
  rule.abstentions_in_threshold_base = true;
  const TallyOutcome t = MustTally(rule, {7, 1, 2}, 10);  // 7 of 10
  EXPECT_EQ(t.votes_cast, 10);
  EXPECT_FALSE(t.passed);
}

TEST(DecisionTallyTest, ZeroVotesNeverPass) {
  const TallyOutcome t = MustTally(Gdansk(), {0, 0, 0}, 10);
  EXPECT_TRUE(t.quorate);  // a zero quorum is met by nobody
  EXPECT_FALSE(t.threshold_met);
  EXPECT_FALSE(t.passed);
  EXPECT_FALSE(t.binding);
  const TallyOutcome abstain_only = MustTally(Gdansk(), {0, 0, 3}, 3);
  EXPECT_FALSE(abstain_only.passed);
  const TallyOutcome nobody = MustTally(Gdansk(), {0, 0, 0}, 0);
  EXPECT_FALSE(nobody.passed);
}

TEST(DecisionTallyTest, NonBindingForumPassesARecommendation) {
  DecisionRule rule = Gdansk();
  rule.binding = false;
  const TallyOutcome t = MustTally(rule, {9, 1, 0}, 10);
  EXPECT_TRUE(t.passed);
  EXPECT_FALSE(t.binding);
  EXPECT_NE(t.explanation.find("recommendation"), std::string::npos);
}

TEST(DecisionTallyTest, ExplanationStatesTheArithmetic) {
  const TallyOutcome t = MustTally(Gdansk(), {6, 1, 0}, 7);
  EXPECT_NE(t.explanation.find("7 members were eligible"), std::string::npos) << t.explanation;
  EXPECT_NE(t.explanation.find("at least 80% of votes cast"), std::string::npos) << t.explanation;
  EXPECT_NE(t.explanation.find("6 for needed"), std::string::npos) << t.explanation;
  EXPECT_NE(t.explanation.find("passed and is binding"), std::string::npos) << t.explanation;
}

TEST(DecisionTallyTest, RejectsBadRulesAndCounts) {
  DecisionRule rule = Gdansk();
  rule.threshold = {80, 0};
  EXPECT_EQ(TallyCounts(rule, {1, 0, 0}, 1).error().code, ErrorCode::kInvalidArgument);
  rule.threshold = {101, 100};
  EXPECT_FALSE(TallyCounts(rule, {1, 0, 0}, 1).ok());
  EXPECT_FALSE(TallyCounts(Gdansk(), {-1, 0, 0}, 1).ok());
  EXPECT_FALSE(TallyCounts(Gdansk(), {5, 5, 1}, 10).ok());  // 11 votes, 10 eligible
}

TEST(DecisionTallyTest, ConflictedMembersAreExcludedAndTheirVotesRefused) {
  DecisionRule rule = Gdansk();
  rule.quorum = {60, 100};
  const std::vector<std::string> members = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
  const std::vector<std::string> conflicted = {"h", "i"};
  const std::vector<MemberVote> votes = {
      {"a", Choice::kFor},     {"b", Choice::kFor}, {"c", Choice::kFor},
      {"d", Choice::kAgainst}, {"h", Choice::kFor}, {"zed", Choice::kFor}};
  auto tally = TallyMemberVotes(rule, members, conflicted, votes);
  ASSERT_TRUE(tally.ok()) << tally.error().ToString();
  EXPECT_EQ(tally->outcome.eligible, 7);
  EXPECT_EQ(tally->outcome.conflicted, 2);
  EXPECT_EQ(tally->outcome.counted.for_votes, 3);
  EXPECT_EQ(tally->outcome.counted.against, 1);
  ASSERT_EQ(tally->refused.size(), 2u);
  EXPECT_EQ(tally->refused[0].member, "h");
  EXPECT_EQ(tally->refused[0].reason, "declared an interest in this motion");
  EXPECT_EQ(tally->refused[1].member, "zed");
  // Quorum 60% of 7 needs 5 (ceil 4.2); 4 counted, so not quorate. Had the conflicted
  // vote counted, it would have been quorate and passed at 80%.
  EXPECT_EQ(tally->outcome.quorum_needed, 5);
  EXPECT_FALSE(tally->outcome.quorate);
  EXPECT_FALSE(tally->outcome.binding);
  EXPECT_NE(tally->outcome.explanation.find("2 members with a declared interest excluded"),
            std::string::npos);
  EXPECT_NE(tally->outcome.explanation.find("2 votes were refused"), std::string::npos);
}

TEST(DecisionTallyTest, ConflictsShrinkTheQuorumBase) {
  DecisionRule rule = Gdansk();
  rule.quorum = {50, 100};
  const std::vector<std::string> members = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
  const std::vector<MemberVote> votes = {
      {"a", Choice::kFor}, {"b", Choice::kFor}, {"c", Choice::kFor}, {"d", Choice::kFor}};
  auto without = TallyMemberVotes(rule, members, {}, votes);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->outcome.quorum_needed, 5);  // half of 10
  EXPECT_FALSE(without->outcome.quorate);
  // Two members declare an interest (and do not vote): half of 8 is 4, so quorate.
  // A declared interest of someone who is not a member changes nothing.
  auto with = TallyMemberVotes(rule, members, {"i", "j", "outsider"}, votes);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->outcome.eligible, 8);
  EXPECT_EQ(with->outcome.quorum_needed, 4);
  EXPECT_TRUE(with->outcome.quorate);
  EXPECT_TRUE(with->outcome.binding);
  EXPECT_TRUE(with->refused.empty());
}

TEST(DecisionTallyTest, LargeCountsStayExact) {
  DecisionRule rule = Gdansk();
  rule.threshold = {999'999, 1'000'000};
  const std::int64_t eligible = std::int64_t{1} << 40;
  // 999,999/1,000,000 of 2^40 is 1,099,510,528,651.3...: the exact boundary is the ceiling.
  const std::int64_t needed = (999'999 * eligible + 999'999) / 1'000'000;
  EXPECT_TRUE(MustTally(rule, {needed, eligible - needed, 0}, eligible).passed);
  EXPECT_FALSE(MustTally(rule, {needed - 1, eligible - needed + 1, 0}, eligible).passed);
  EXPECT_EQ(MustTally(rule, {needed, eligible - needed, 0}, eligible).for_needed, needed);
  EXPECT_FALSE(TallyCounts(rule, {1, 0, 0}, eligible * 2).ok());  // beyond the exact range
}

TEST(DecisionTallyTest, AMemberVotingTwiceIsAnError) {
  const std::vector<MemberVote> votes = {{"a", Choice::kFor}, {"a", Choice::kAgainst}};
  auto tally = TallyMemberVotes(Gdansk(), {"a", "b"}, {}, votes);
  ASSERT_FALSE(tally.ok());
  EXPECT_EQ(tally.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace communitise::deliberation
