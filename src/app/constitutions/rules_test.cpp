#include <gtest/gtest.h>

#include "communitise/app/constitutions.h"

namespace communitise::app {
namespace {

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  if (!s.ok()) {
    for (const auto& f : s.error().fields) out.push_back(f.field);
  }
  return out;
}

bool HasField(const Status& s, const std::string& field) {
  auto f = Fields(s);
  return std::find(f.begin(), f.end(), field) != f.end();
}

const std::vector<Method> kPanel = {Method::kNonBindingDeliberation};
const std::vector<Method> kBoard = {Method::kBindingDeliberation, Method::kFormalGovernance};

TEST(RulesTest, DefaultsAreValidForEveryShape) {
  for (auto network : {NetworkKind::kGeographic, NetworkKind::kNeedInterest}) {
    for (const auto& methods : {kPanel, kBoard}) {
      const ConstitutionRules r = DefaultRules(network, methods);
      Status s = ValidateRules(r, network, methods);
      EXPECT_TRUE(s.ok()) << s.error().ToString();
    }
  }
  EXPECT_EQ(DefaultRules(NetworkKind::kGeographic, kBoard).board, (BoardComposition{7, 7, 7}));
  EXPECT_EQ(DefaultRules(NetworkKind::kNeedInterest, kPanel).eligibility_mode,
            EligibilityMode::kOfficerApproval);
}

TEST(RulesTest, PostcodeEligibilityNeedsAGeographicNetwork) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kPanel);
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kNeedInterest, kPanel), "eligibility_mode"));
}

TEST(RulesTest, RangesAreChecked) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kPanel);
  r.minimum_age = -1;
  r.quorum_percent = 0;
  r.response_days = 400;
  r.binding_threshold_percent = 101;
  Status s = ValidateRules(r, NetworkKind::kGeographic, kPanel);
  EXPECT_TRUE(HasField(s, "minimum_age"));
  EXPECT_TRUE(HasField(s, "quorum_percent"));
  EXPECT_TRUE(HasField(s, "response_days"));
  EXPECT_TRUE(HasField(s, "binding_threshold_percent"));
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
}

TEST(RulesTest, BindingDecisionsNeedMoreThanHalf) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kBoard);
  r.binding_threshold_percent = 50;
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kBoard),
                       "binding_threshold_percent"));
  EXPECT_TRUE(ValidateRules(r, NetworkKind::kGeographic, kPanel).ok());
  r.binding_threshold_percent = 80;  // Gdansk
  EXPECT_TRUE(ValidateRules(r, NetworkKind::kGeographic, kBoard).ok());
}

TEST(RulesTest, FormalGovernanceNeedsABoardWithResidents) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kBoard);
  r.board = {0, 0, 0};
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kBoard), "board_residents"));
  r.board = {0, 7, 7};
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kBoard), "board_residents"));
  r.board = {7, 7, 7};
  EXPECT_TRUE(ValidateRules(r, NetworkKind::kGeographic, kBoard).ok());
}

TEST(RulesTest, ApprovalLimitOnlyForApprovalBallots) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kPanel);
  r.approval_limit = 3;
  EXPECT_TRUE(ValidateRules(r, NetworkKind::kGeographic, kPanel).ok());
  r.ballot_type = BallotType::kKnapsack;
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kPanel), "approval_limit"));
}

TEST(RulesTest, JsonRoundTripsAndReportsBadFields) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kBoard);
  r.pb_rule = PbRule::kEqualShares;
  r.ballot_type = BallotType::kCumulative;
  r.minimum_age = 11;
  r.approval_minimum = 2;
  r.points = 25;
  r.pb_round_openers = RoundOpeners::kOfficersAndBoard;
  auto back = RulesFromJson(RulesToJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, r);
  auto bad = RulesFromJson(R"({"pb_rule":"dictator","minimum_age":"ten"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(HasField(bad.status(), "pb_rule"));
  EXPECT_TRUE(HasField(bad.status(), "minimum_age"));
  EXPECT_FALSE(RulesFromJson("[1,2").ok());
}

TEST(RulesTest, BallotLimitsAndWhoOpensRounds) {
  ConstitutionRules r = DefaultRules(NetworkKind::kGeographic, kPanel);
  EXPECT_EQ(r.approval_minimum, 1);
  EXPECT_EQ(r.points, 10);
  EXPECT_EQ(r.pb_round_openers, RoundOpeners::kOfficers);  // deny the board by default
  r.approval_minimum = 0;
  r.points = 1001;
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kPanel), "approval_minimum"));
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kPanel), "points"));
  r = DefaultRules(NetworkKind::kGeographic, kPanel);
  r.approval_minimum = 4;
  r.approval_limit = 3;
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kPanel), "approval_limit"));
  r = DefaultRules(NetworkKind::kGeographic, kPanel);
  r.pb_round_openers = RoundOpeners::kOfficersAndBoard;
  EXPECT_TRUE(HasField(ValidateRules(r, NetworkKind::kGeographic, kPanel), "pb_round_openers"));
  r = DefaultRules(NetworkKind::kGeographic, kBoard);
  r.pb_round_openers = RoundOpeners::kOfficersAndBoard;
  EXPECT_TRUE(ValidateRules(r, NetworkKind::kGeographic, kBoard).ok());
  // Rules written before these fields existed read back with the defaults.
  auto old = RulesFromJson(R"({"pb_rule":"greedy","approval_limit":5})");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->approval_minimum, 1);
  EXPECT_EQ(old->points, 10);
  EXPECT_EQ(old->pb_round_openers, RoundOpeners::kOfficers);
}

}  // namespace
}  // namespace communitise::app
