#include "communitise/app/forums.h"

#include "../app_test_support.h"

namespace communitise::app {
namespace {

using testing::AppTest;
using testing::kStart;

class ForumsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped()) return;
    body_ = MakeCouncil();
    officer_ = MakeUser("officer@example.org", {Role::kOfficer}, body_);
    programme_ = MakeGeographicProgramme(officer_, body_,
                                         {"non_binding_deliberation", "binding_deliberation"});
    SetRules(80, 50);
    auto f = app().forums().Create(&officer_, programme_.id,
                                   {"citizens_assembly", "Parks assembly", "Decide on parks",
                                    std::nullopt, true, false});
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    forum_ = *f;
    for (int i = 0; i < 10; ++i) {
      Actor a = MakeUser("member" + std::to_string(i) + "@example.org");
      EXPECT_TRUE(app().forums().AddMember(&officer_, forum_.id, a.user_id).ok());
      members_.push_back(a);
    }
  }

  void SetRules(int threshold, int quorum) {
    auto current = app().constitutions().Current(programme_.id);
    ASSERT_TRUE(current.ok());
    AmendConstitutionForm form{current->text, current->rules, "Assembly rules", std::nullopt};
    form.rules.binding_threshold_percent = threshold;
    form.rules.quorum_percent = quorum;
    form.rules.response_days = 30;
    auto amended = app().constitutions().Amend(&officer_, programme_.id, form);
    ASSERT_TRUE(amended.ok()) << amended.error().ToString();
    clock_.Advance(60);
  }

  // Opens a motion, has `yes` members vote for and `no` against, and closes it.
  Motion Vote(const std::string& title, int yes, int no) {
    auto m = app().forums().OpenMotion(&officer_, forum_.id, {title, "The council will " + title});
    EXPECT_TRUE(m.ok()) << m.error().ToString();
    for (int i = 0; i < yes + no; ++i) {
      Status s = app().forums().VoteMotion(&members_[i], m->id, i < yes ? "for" : "against");
      EXPECT_TRUE(s.ok()) << s.error().ToString();
    }
    clock_.Advance(60);
    auto closed = app().forums().CloseMotion(&officer_, m->id);
    EXPECT_TRUE(closed.ok()) << closed.error().ToString();
    return *closed;
  }

  int64_t body_ = 0;
  Actor officer_;
  Programme programme_;
  Forum forum_;
  std::vector<Actor> members_;
};

TEST_P(ForumsTest, BindingThresholdMakesAnObligationOtherwiseARecommendation) {
  Motion binding = Vote("open the park gates at 7am", 9, 1);
  EXPECT_EQ(binding.outcome, MotionOutcome::kBinding);
  EXPECT_EQ(binding.for_votes, 9);
  EXPECT_EQ(binding.threshold_percent, 80);
  EXPECT_FALSE(binding.response_due.has_value());

  Motion rec = Vote("plant 100 trees", 6, 4);
  EXPECT_EQ(rec.outcome, MotionOutcome::kRecommendation);
  ASSERT_TRUE(rec.response_due.has_value());
  EXPECT_EQ(*rec.response_due, *rec.closed_at + 30 * 86400);
  EXPECT_FALSE(rec.overdue);

  // Only the body's officers answer, once, with reasons.
  EXPECT_EQ(app().forums().Respond(&members_[0], rec.id, {"accept", "Yes"}).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(app().forums().Respond(&officer_, binding.id, {"accept", "Yes"}).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(app().forums().Respond(&officer_, rec.id, {"maybe", ""}).error().fields.size(), 2u);

  clock_.Advance(31 * 86400);
  auto decisions = app().forums().Decisions(programme_.id);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 2u);
  int overdue = 0;
  for (const auto& d : *decisions) overdue += d.overdue;
  EXPECT_EQ(overdue, 1);

  auto answered = app().forums().Respond(&officer_, rec.id,
                                         {"accept_in_part", "Fifty trees this year, fifty next"});
  ASSERT_TRUE(answered.ok()) << answered.error().ToString();
  EXPECT_FALSE(answered->overdue);
  EXPECT_EQ(answered->response->decision, "accept_in_part");
  EXPECT_EQ(app().forums().Respond(&officer_, rec.id, {"reject", "No"}).error().code,
            ErrorCode::kConflict);

  auto delivered = app().forums().AddDeliveryUpdate(&officer_, binding.id,
                                                    {50, "Gates open at 7am on weekdays", ""});
  ASSERT_TRUE(delivered.ok()) << delivered.error().ToString();
  EXPECT_EQ(delivered->delivery.size(), 1u);
}

TEST_P(ForumsTest, TallyUnderQuorumDoesNotBind) {
  Motion m = Vote("close the road", 4, 0);  // 4 of 10 take part; the quorum is 5
  EXPECT_FALSE(m.quorate);
  EXPECT_EQ(m.outcome, MotionOutcome::kNotCarried);
  EXPECT_FALSE(m.response_due.has_value());
  Motion quorate = Vote("open the road", 5, 0);
  EXPECT_TRUE(quorate.quorate);
  EXPECT_EQ(quorate.outcome, MotionOutcome::kBinding);
}

TEST_P(ForumsTest, ConstitutionChangeMidVoteDoesNotChangeTheRule) {
  auto m = app().forums().OpenMotion(&officer_, forum_.id, {"build a skate park", "Build it"});
  ASSERT_TRUE(m.ok());
  const int version = m->constitution_version;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(app().forums().VoteMotion(&members_[i], m->id, i < 7 ? "for" : "against").ok());
  }
  SetRules(60, 50);  // 70% would bind under the new rule
  auto closed = app().forums().CloseMotion(&officer_, m->id);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->constitution_version, version);
  EXPECT_EQ(closed->outcome, MotionOutcome::kRecommendation);
  // A motion opened after the change is decided by the new rule.
  Motion later = Vote("build a second skate park", 7, 3);
  EXPECT_EQ(later.outcome, MotionOutcome::kBinding);
  EXPECT_EQ(later.threshold_percent, 60);
}

TEST_P(ForumsTest, OnlyMembersVoteAndTheirVoteCanChange) {
  auto m = app().forums().OpenMotion(&officer_, forum_.id, {"t", "x"});
  ASSERT_TRUE(m.ok());
  Actor outsider = MakeUser("outsider@example.org");
  EXPECT_EQ(app().forums().VoteMotion(&outsider, m->id, "for").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(app().forums().VoteMotion(&members_[0], m->id, "maybe").error().fields.at(0).field,
            "choice");
  ASSERT_TRUE(app().forums().VoteMotion(&members_[0], m->id, "for").ok());
  ASSERT_TRUE(app().forums().VoteMotion(&members_[0], m->id, "against").ok());
  EXPECT_EQ(app().forums().GetMotion(&members_[0], m->id)->my_choice, "against");
  EXPECT_EQ(app().forums().GetMotion(&members_[0], m->id)->votes_cast, 1);
}

TEST_P(ForumsTest, BindingForumNeedsBindingDeliberation) {
  CreateProgrammeForm pf;
  pf.public_body_id = body_;
  pf.name = "Youth workshop";
  pf.nature = "discretionary";
  pf.services = {"Youth"};
  pf.network = "geographic";
  pf.areas = {"E1"};
  pf.methods = {"non_binding_deliberation"};
  auto created = app().programmes().Create(&officer_, pf);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  const Programme nb = *created;
  auto f = app().forums().Create(&officer_, nb.id, {"workshop", "W", "", std::nullopt, true, false});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().fields.at(0).field, "binding");
  EXPECT_EQ(app().forums().Create(&members_[0], nb.id, {"workshop", "W", "", std::nullopt, false,
                                                        false}).error().code,
            ErrorCode::kForbidden);
}

TEST_P(ForumsTest, SessionsEvidenceAttendanceAndTraining) {
  auto s = app().forums().AddSession(&officer_, forum_.id,
                                     {"First session", kStart + 86400, "Town hall", "1. Welcome"});
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EvidenceForm ev{"evidence", "Parks budget 2026", "Finance team", "The budget is £1m.",
                  "budget.txt", "text/plain", "line one\nline two"};
  auto e = app().forums().AddEvidence(&officer_, s->id, ev);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  auto file = app().forums().EvidenceFile(e->id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->second, "line one\nline two");
  EXPECT_EQ(app().forums().AddEvidence(&members_[0], s->id, ev).error().code, ErrorCode::kForbidden);
  auto members = app().forums().Members(forum_.id);
  ASSERT_TRUE(app().forums().RecordAttendance(&officer_, s->id,
                                              {members->at(0).id, members->at(1).id}).ok());
  EXPECT_EQ(app().forums().GetSession(s->id)->attended.size(), 2u);
  auto t = app().forums().AddTraining(&officer_, forum_.id,
                                      {members->at(0).id, "Commissioning basics", kStart, true});
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_TRUE(t->accredited);
  EXPECT_EQ(app().forums().Training(forum_.id)->size(), 1u);
}

TEST_P(ForumsTest, OpinionMapGroupsVoters) {
  std::vector<int64_t> statements;
  for (int i = 0; i < 6; ++i) {
    auto s = app().forums().PostStatement(&members_[i], forum_.id,
                                          "Statement number " + std::to_string(i));
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    statements.push_back(s->id);
  }
  Actor outsider = MakeUser("outsider@example.org");
  EXPECT_EQ(app().forums().PostStatement(&outsider, forum_.id, "Hello there").error().code,
            ErrorCode::kForbidden);
  // Two camps: the first five agree with statements 0-2 and disagree with 3-5, the rest
  // the opposite; everyone agrees with nothing else.
  for (int m = 0; m < 10; ++m) {
    for (int s = 0; s < 6; ++s) {
      const bool camp = m < 5;
      ASSERT_TRUE(app().forums().VoteStatement(&members_[m], statements[s],
                                               (s < 3) == camp ? 1 : -1).ok());
    }
  }
  auto map = app().forums().OpinionMap(&members_[0], forum_.id);
  ASSERT_TRUE(map.ok()) << map.error().ToString();
  EXPECT_EQ(map->participants, 10);
  EXPECT_EQ(map->groups, 2);
  EXPECT_EQ(map->statements[0].agree, 5);
  EXPECT_EQ(map->statements[0].my_vote, 1);
  EXPECT_FALSE(map->divisive.empty());
  EXPECT_NE(map->svg.find("<svg"), std::string::npos);
}

TEST_P(ForumsTest, OpinionMapIsComputedOncePerChange) {
  auto s0 = app().forums().PostStatement(&members_[0], forum_.id, "More benches by the river");
  auto s1 = app().forums().PostStatement(&members_[1], forum_.id, "Close the car park on Sundays");
  ASSERT_TRUE(s0.ok() && s1.ok());
  for (int m = 0; m < 6; ++m) {
    ASSERT_TRUE(app().forums().VoteStatement(&members_[m], s0->id, m < 3 ? 1 : -1).ok());
  }
  const uint64_t before = app().forums().MapComputations();
  auto first = app().forums().OpinionMap(&members_[0], forum_.id);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(app().forums().MapComputations(), before + 1);
  // Many readers, no change: served from the cache, each with their own votes.
  auto anonymous = app().forums().OpinionMap(nullptr, forum_.id);
  auto other = app().forums().OpinionMap(&members_[4], forum_.id);
  ASSERT_TRUE(anonymous.ok() && other.ok());
  EXPECT_EQ(app().forums().MapComputations(), before + 1);
  EXPECT_EQ(first->statements[0].my_vote, 1);
  EXPECT_EQ(other->statements[0].my_vote, -1);
  EXPECT_FALSE(anonymous->statements[0].my_vote.has_value());
  EXPECT_EQ(anonymous->svg, first->svg);

  // A vote (even one that replaces an earlier vote) and a statement each invalidate it.
  ASSERT_TRUE(app().forums().VoteStatement(&members_[4], s0->id, 1).ok());
  auto after_vote = app().forums().OpinionMap(&members_[4], forum_.id);
  ASSERT_TRUE(after_vote.ok());
  EXPECT_EQ(app().forums().MapComputations(), before + 2);
  EXPECT_EQ(after_vote->statements[0].agree, 4);
  EXPECT_EQ(after_vote->statements[0].my_vote, 1);
  ASSERT_TRUE(app().forums().PostStatement(&members_[2], forum_.id, "A new bus stop").ok());
  auto after_statement = app().forums().OpinionMap(nullptr, forum_.id);
  ASSERT_TRUE(after_statement.ok());
  EXPECT_EQ(after_statement->statements.size(), 3u);
  EXPECT_EQ(app().forums().MapComputations(), before + 3);

  // Another server over the same database sees the change through the stored version.
  App other_server(db(), clock_);
  ASSERT_TRUE(other_server.forums().OpinionMap(nullptr, forum_.id).ok());
  ASSERT_TRUE(app().forums().VoteStatement(&members_[5], s1->id, 1).ok());
  auto seen = other_server.forums().OpinionMap(nullptr, forum_.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->statements[1].agree, 1);
  EXPECT_EQ(other_server.forums().MapComputations(), 2u);
}

COMMUNITISE_APP_BACKENDS(ForumsTest);

}  // namespace
}  // namespace communitise::app
