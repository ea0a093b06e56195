#include "communitise/app/pb_rounds.h"

#include "../app_test_support.h"
#include "communitise/app/forums.h"

namespace communitise::app {
namespace {

using testing::AppTest;
using testing::kStart;

class PanelDecisionsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped()) return;
    body_ = MakeCouncil();
    officer_ = MakeUser("officer@example.org", {Role::kOfficer}, body_);
    programme_ = MakeGeographicProgramme(officer_, body_);
    auto f = app().forums().Create(&officer_, programme_.id,
                                   {"resident_panel", "Parks panel", "", std::nullopt, false, false});
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    forum_ = *f;
    for (int i = 0; i < 3; ++i) {
      Actor a = MakeUser("panel" + std::to_string(i) + "@example.org");
      EXPECT_TRUE(app().forums().AddMember(&officer_, forum_.id, a.user_id).ok());
      members_.push_back(a);
    }
  }

  PbRound Open(bool panel_decides) {
    OpenRoundForm form;
    form.title = "Parks grants";
    form.budget_pence = 10000'00;
    form.splits = {{"area", "North", 6000'00}};
    form.proposals_close = kStart + 86400;
    form.screening_forum_id = forum_.id;
    form.panel_decides = panel_decides;
    if (!panel_decides) {
      form.voting_opens = kStart + 2 * 86400;
      form.voting_closes = kStart + 3 * 86400;
    }
    auto r = app().pb_rounds().Open(&officer_, programme_.id, form);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return *r;
  }

  int64_t Bid(const PbRound& r, const std::string& title, int64_t pence, const std::string& area) {
    ProjectForm p;
    p.kind = "bid";
    p.title = title;
    p.summary = title;
    p.cost_pence = pence;
    p.area = area;
    p.org_name = title + " group";
    p.org_number = "1123456";
    auto made = app().pb_rounds().Submit(&officer_, r.id, p);
    EXPECT_TRUE(made.ok()) << made.error().ToString();
    return made->id;
  }

  void ToScreening(const PbRound& r, const std::vector<int64_t>& projects) {
    ASSERT_TRUE(app().pb_rounds().SetPhase(&officer_, r.id, "screening").ok());
    for (int64_t id : projects) ASSERT_TRUE(app().pb_rounds().Check(&officer_, id, {}).ok());
  }

  int64_t body_ = 0;
  Actor officer_;
  Programme programme_;
  Forum forum_;
  std::vector<Actor> members_;
};

TEST_P(PanelDecisionsTest, TheForumsMembersDecideWithinTheFundAndItsSplits) {
  PbRound r = Open(/*panel_decides=*/true);
  EXPECT_TRUE(r.panel_decides);
  EXPECT_EQ(r.screening_forum_id, forum_.id);
  EXPECT_EQ(r.screeners.size(), 3u);
  const int64_t swings = Bid(r, "Swings", 4000'00, "North");
  const int64_t benches = Bid(r, "Benches", 3000'00, "North");
  const int64_t pond = Bid(r, "Pond", 3500'00, "South");  // the rest of the fund is £4,000
  ToScreening(r, {swings, benches, pond});

  // Whoever is a member of the forum now decides: a member added after the round opened.
  Actor late = MakeUser("late@example.org");
  ASSERT_TRUE(app().forums().AddMember(&officer_, forum_.id, late.user_id).ok());
  EXPECT_EQ(app().pb_rounds().Get(r.id)->screeners.size(), 4u);
  const int64_t audit_before = AuditCount();
  auto funded = app().pb_rounds().Decide(&late, swings, {"fund", "Most asked for"});
  ASSERT_TRUE(funded.ok()) << funded.error().ToString();
  EXPECT_EQ(funded->status, PbProjectStatus::kAccepted);
  EXPECT_EQ(AuditCount(), audit_before + 1);

  // North's share is £6,000 (the rest of the fund £4,000): the benches do not fit beside
  // the swings.
  auto over = app().pb_rounds().Decide(&members_[0], benches, {"fund", "Nice"});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_NE(over.error().public_message.find("North"), std::string::npos);
  EXPECT_NE(over.error().public_message.find("£2,000 is left"), std::string::npos);
  ASSERT_TRUE(app().pb_rounds().Decide(&members_[0], benches, {"decline", "No room in North"}).ok());
  EXPECT_EQ(app().pb_rounds().FundedByPanel(r.id).value(), 4000'00);
  ASSERT_TRUE(app().pb_rounds().Decide(&members_[1], pond, {"fund", "Wildlife"}).ok());
  EXPECT_EQ(app().pb_rounds().FundedByPanel(r.id).value(), 7500'00);

  // No voting phase; the results make the funded bids awards.
  EXPECT_EQ(app().pb_rounds().SetPhase(&officer_, r.id, "voting").error().code, ErrorCode::kConflict);
  ASSERT_TRUE(app().pb_rounds().SetPhase(&officer_, r.id, "results").ok());
  auto results = app().pb_rounds().Results(r.id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results->rule, "panel");
  EXPECT_EQ(results->spent_pence, 7500'00);
  ASSERT_EQ(results->projects.size(), 3u);
  EXPECT_NE(results->projects[0].story.find("Parks panel"), std::string::npos);
  auto awards = app().pb_rounds().Awards(r.id);
  ASSERT_EQ(awards->size(), 2u);
  EXPECT_EQ(app().pb_rounds().ScreenedBy(forum_.id)->size(), 1u);
}

TEST_P(PanelDecisionsTest, ConflictsKeepAMemberOutOfTheDiscussionAndTheDecision) {
  PbRound r = Open(true);
  const int64_t swings = Bid(r, "Swings", 4000'00, "North");
  ToScreening(r, {swings});
  ASSERT_TRUE(app().pb_rounds().DeclareConflict(&members_[0], swings, "My sister runs it").ok());
  EXPECT_EQ(app().pb_rounds().Discuss(&members_[0], swings, "Good").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(app().pb_rounds().Decide(&members_[0], swings, {"fund", "Good"}).error().code,
            ErrorCode::kForbidden);
  Actor outsider = MakeUser("outsider@example.org");
  EXPECT_EQ(app().pb_rounds().Discuss(&outsider, swings, "Fund it").error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(app().pb_rounds().Discuss(&members_[1], swings, "Who mows round them?").ok());
  // The officer proposed it (for a group), so a facilitator answers.
  EXPECT_EQ(app().pb_rounds().Discuss(&officer_, swings, "Mine").error().code, ErrorCode::kForbidden);
  Actor facilitator = MakeUser("facilitator@example.org", {Role::kFacilitator}, body_);
  ASSERT_TRUE(app().pb_rounds().Discuss(&facilitator, swings, "The parks team").ok());
  auto discussion = app().pb_rounds().Discussion(swings);
  ASSERT_EQ(discussion->size(), 2u);
  EXPECT_EQ(discussion->at(0).text, "Who mows round them?");
  auto interests = app().pb_rounds().Interests(swings);
  ASSERT_EQ(interests->size(), 1u);
  EXPECT_EQ(interests->at(0).declaration, "My sister runs it");
}

TEST_P(PanelDecisionsTest, ABallotRoundIsScreenedByTheForumButNotDecidedByIt) {
  PbRound r = Open(/*panel_decides=*/false);
  EXPECT_FALSE(r.panel_decides);
  const int64_t swings = Bid(r, "Swings", 4000'00, "North");
  ToScreening(r, {swings});
  EXPECT_EQ(app().pb_rounds().Decide(&members_[0], swings, {"fund", "Good"}).error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(app().pb_rounds().Screen(&members_[0], swings, {"accept", "Good"}).ok());
  EXPECT_TRUE(app().pb_rounds().SetPhase(&officer_, r.id, "voting").ok());
}

TEST_P(PanelDecisionsTest, APanelRoundNeedsAForumOfItsProgramme) {
  OpenRoundForm form;
  form.title = "Grants";
  form.budget_pence = 1000'00;
  form.proposals_close = kStart + 86400;
  form.panel_decides = true;
  auto missing = app().pb_rounds().Open(&officer_, programme_.id, form);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields.back().field, "screening_forum_id");
  CreateProgrammeForm p;
  p.public_body_id = body_;
  p.name = "Youth services";
  p.summary = "Youth money decided by young people";
  p.nature = "discretionary";
  p.services = {"Youth"};
  p.network = "geographic";
  p.areas = {"E1"};
  p.methods = {"non_binding_deliberation"};
  auto other = app().programmes().Create(&officer_, p);
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  form.screening_forum_id = forum_.id;
  auto elsewhere = app().pb_rounds().Open(&officer_, other->id, form);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().fields.at(0).field, "screening_forum_id");
}

COMMUNITISE_APP_BACKENDS(PanelDecisionsTest);

}  // namespace
}  // namespace communitise::app
