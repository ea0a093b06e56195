#include "communitise/app/panels.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>

#include "../app_test_support.h"
#include "communitise/app/forums.h"
#include "communitise/sortition/invitations.h"

namespace communitise::app {
namespace {

using testing::AppTest;

constexpr char kQuotas[] =
    "category,feature,min,max\n"
    "age,16-34,3,5\nage,35-54,3,5\nage,55+,3,5\n"
    "gender,female,5,7\ngender,male,5,7\n";

// 1,000 addresses spread over the council's three postcodes in E1 and E2.
std::string AddressCsv(int n) {
  const char* postcodes[] = {"DH1 1AA", "DH1 1AB", "DH2 2AA"};
  std::string out = "id,line1,line2,postcode\n";
  for (int i = 1; i <= n; ++i) {
    out += "UPRN" + std::to_string(100000 + i) + "," + std::to_string(i) + " Park Road,Barking," +
           postcodes[i % 3] + "\n";
  }
  return out;
}

class PanelsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped()) return;
    body_ = MakeCouncil();
    officer_ = MakeUser("officer@example.org", {Role::kOfficer}, body_);
    programme_ = MakeGeographicProgramme(officer_, body_,
                                         {"non_binding_deliberation", "binding_deliberation"});
  }

  Panel MakePanel() {
    auto panel = app().panels().Create(&officer_, programme_.id,
                                       {"Parks resident panel", 12, kQuotas, 1});
    EXPECT_TRUE(panel.ok()) << panel.error().ToString();
    return *panel;
  }

  // A panel with 1,000 addresses, 100 invitations and 40 registrations.
  Panel PanelWithRespondents() {
    Panel p = MakePanel();
    EXPECT_TRUE(app().panels().ImportAddresses(&officer_, p.id, AddressCsv(1000), "a.csv").ok());
    EXPECT_TRUE(app().panels().PublishInvitationSeed(&officer_, p.id, "20261125").ok());
    EXPECT_TRUE(app().panels().DrawInvitations(&officer_, p.id, 100).ok());
    auto letters = app().panels().Letters(&officer_, p.id);
    EXPECT_TRUE(letters.ok());
    const char* ages[] = {"16-34", "35-54", "55+"};
    for (int i = 0; i < 40; ++i) {
      Actor a = MakeUser("resident" + std::to_string(i) + "@example.org");
      residents_.push_back(a);
      RegisterForm f{(*letters)[i].code,
                     {{"age", ages[i % 3]}, {"gender", i % 2 ? "female" : "male"}},
                     "Evenings",
                     true};
      auto r = app().panels().Register(&a, f);
      EXPECT_TRUE(r.ok()) << r.error().ToString();
    }
    return *app().panels().Get(p.id);
  }

  Selection RunSelection(int64_t panel_id) {
    auto started = app().panels().StartSelection(&officer_, panel_id, "leximin");
    EXPECT_TRUE(started.ok()) << started.error().ToString();
    app().panels().WaitForSelections();
    return *app().panels().GetSelection(&officer_, started->id);
  }

  // A job row as a runner would leave it, written straight into the database: `status`
  // with `attempts` starts so far, held by runner "gone" with its last heartbeat at
  // `heartbeat_at` (NULL when nullopt), over every current respondent.
  int64_t InsertJob(int64_t panel_id, const std::string& status, int attempts,
                    std::optional<int64_t> heartbeat_at) {
    auto list = app().panels().ListRespondents(&officer_, panel_id);
    EXPECT_TRUE(list.ok());
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& r : *list) ids.push_back(r.id);
    int64_t id = 0;
    EXPECT_TRUE(db().Transact([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(id, tx.Insert("INSERT INTO panel_selections (panel_id, status, algorithm, "
                                     "progress, respondent_ids, created_by, created_at, runner, "
                                     "heartbeat_at, attempts) VALUES (:p, :s, 'leximin', '{}', "
                                     ":ids, :by, :t, 'gone', :h, :a) RETURNING id",
                                     {panel_id, status, ids.dump(), officer_.user_id,
                                      clock_.NowSeconds(), storage::Opt(heartbeat_at), attempts}));
      return Status::Ok();
    }).ok());
    return id;
  }

  int64_t body_ = 0;
  Actor officer_;
  Programme programme_;
  std::vector<Actor> residents_;
};

TEST_P(PanelsTest, InvitationDrawReproducesFromTheListAndSeed) {
  Panel p = MakePanel();
  const std::string csv = AddressCsv(1000);
  EXPECT_EQ(app().panels().DrawInvitations(&officer_, p.id, 100).error().code, ErrorCode::kConflict);
  auto imported = app().panels().ImportAddresses(&officer_, p.id, csv, "addresses.csv");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(imported->addresses, 1000);
  EXPECT_EQ(imported->by_area.at("North"), 667);
  // Drawing needs a seed published first.
  EXPECT_EQ(app().panels().DrawInvitations(&officer_, p.id, 100).error().code, ErrorCode::kConflict);
  EXPECT_EQ(app().panels().PublishInvitationSeed(&officer_, p.id, "12ab").error().fields.at(0).field,
            "seed");
  ASSERT_TRUE(app().panels().PublishInvitationSeed(&officer_, p.id, "20261125").ok());
  EXPECT_EQ(app().panels().PublishInvitationSeed(&officer_, p.id, "1").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(app().panels().Get(p.id)->invitation_seed, "20261125");
  auto draw = app().panels().DrawInvitations(&officer_, p.id, 100);
  ASSERT_TRUE(draw.ok()) << draw.error().ToString();
  ASSERT_EQ(draw->address_refs.size(), 100u);

  // Anyone with the list and the seed redoes the draw.
  auto rows = sortition::ParseAddressCsv(csv, "addresses.csv");
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> expected;
  for (int i : sortition::DrawInvitations(1000, 100, 20261125)) expected.push_back((*rows)[i].id);
  EXPECT_EQ(draw->address_refs, expected);
  EXPECT_EQ(app().panels().GetInvitationDraw(p.id)->address_refs, expected);

  auto letters = app().panels().Letters(&officer_, p.id);
  ASSERT_TRUE(letters.ok());
  std::set<std::string> codes;
  for (const auto& l : *letters) codes.insert(l.code);
  EXPECT_EQ(codes.size(), 100u);
  EXPECT_EQ((*letters)[0].address_ref, expected[0]);
  // The list is fixed once drawn.
  EXPECT_EQ(app().panels().ImportAddresses(&officer_, p.id, csv, "a.csv").error().code,
            ErrorCode::kConflict);
}

TEST_P(PanelsTest, AddressErrorsNameTheLine) {
  Panel p = MakePanel();
  auto bad = app().panels().ImportAddresses(
      &officer_, p.id, "id,line1,postcode\nA,1 High St,DH1 1AA\nB,2 High St,ZZ9 9ZZ\n", "a.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "file");
  EXPECT_EQ(bad.error().fields.at(0).message, "a.csv:3: ZZ9 9ZZ is not in any of the imported areas");
}

TEST_P(PanelsTest, RegistrationChecksCodeAnswersAndHousehold) {
  Panel p = MakePanel();
  ASSERT_TRUE(app().panels().ImportAddresses(&officer_, p.id, AddressCsv(20), "a.csv").ok());
  ASSERT_TRUE(app().panels().PublishInvitationSeed(&officer_, p.id, "5").ok());
  ASSERT_TRUE(app().panels().DrawInvitations(&officer_, p.id, 5).ok());
  const std::string code = app().panels().Letters(&officer_, p.id)->at(0).code;
  Actor ann = MakeUser("ann@example.org"), bob = MakeUser("bob@example.org");
  EXPECT_EQ(app().panels().Register(nullptr, {code, {}, "", true}).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(app().panels().Register(&ann, {"NOPE", {}, "", true}).error().fields.at(0).field, "code");
  auto missing = app().panels().Register(&ann, {code, {{"age", "16-34"}}, "", false});
  ASSERT_FALSE(missing.ok());
  std::set<std::string> fields;
  for (const auto& f : missing.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"gender", "consent"}));
  // Codes are typed in any case, with or without the hyphen.
  std::string typed = code.substr(0, 4) + "-" + code.substr(4);
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  auto ok = app().panels().Register(&ann, {typed, {{"age", "16-34"}, {"gender", "female"}}, "", true});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->area_name.empty(), false);
  // One registration per household code.
  auto second = app().panels().Register(&bob, {code, {{"age", "55+"}, {"gender", "male"}}, "", true});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().fields.at(0).field, "code");
  // The public record does not carry the answers.
  auto history = app().history().ForProgramme(programme_.id);
  ASSERT_TRUE(history.ok());
  int registrations = 0;
  for (const auto& h : *history) {
    if (h.action != "panel.register") continue;
    ++registrations;
    EXPECT_EQ(h.details_json, "{}");
  }
  EXPECT_EQ(registrations, 1);
}

TEST_P(PanelsTest, DemographicDataIsRefusedToEveryOtherRole) {
  Panel p = PanelWithRespondents();
  const int64_t other_body = MakeCouncil("other-council");
  std::vector<Actor> refused = {residents_[0]};
  for (Role r : {Role::kMember, Role::kCommunityResearcher, Role::kCouncillor, Role::kPartner}) {
    refused.push_back(MakeUser(std::string(ToString(r)) + "@example.org", {r}, body_));
  }
  for (Role r : {Role::kOfficer, Role::kFacilitator, Role::kAdmin}) {
    refused.push_back(MakeUser("other-" + std::string(ToString(r)) + "@example.org", {r}, other_body));
  }
  EXPECT_EQ(app().panels().ListRespondents(nullptr, p.id).error().code, ErrorCode::kUnauthenticated);
  for (const Actor& a : refused) {
    EXPECT_EQ(app().panels().ListRespondents(&a, p.id).error().code, ErrorCode::kForbidden)
        << a.display_name;
    EXPECT_EQ(app().panels().ExportRespondentsCsv(&a, p.id).error().code, ErrorCode::kForbidden);
    EXPECT_FALSE(app().panels().CanSeeDemographics(&a, p));
  }
  for (Role r : {Role::kOfficer, Role::kFacilitator, Role::kAdmin}) {
    Actor a = MakeUser("runs-" + std::string(ToString(r)) + "@example.org", {r}, body_);
    auto list = app().panels().ListRespondents(&a, p.id);
    ASSERT_TRUE(list.ok()) << ToString(r);
    EXPECT_EQ(list->size(), 40u);
    EXPECT_EQ(list->front().features.at("age"), "16-34");
  }
  auto csv = app().panels().ExportRespondentsCsv(&officer_, p.id);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->substr(0, csv->find('\r')), "id,name,area,age,gender,availability,status");
}

TEST_P(PanelsTest, SelectDrawReplaceAndAnonymisedPublicView) {
  Panel p = PanelWithRespondents();
  EXPECT_EQ(app().panels().StartSelection(&officer_, p.id, "best").error().fields.at(0).field,
            "algorithm");
  Selection s = RunSelection(p.id);
  ASSERT_EQ(s.status, SelectionStatus::kDone) << s.error << s.summary;
  EXPECT_EQ(s.respondent_ids.size(), 40u);
  EXPECT_NEAR(s.min_probability, 12.0 / 40, 0.02);
  EXPECT_GT(s.distribution_panels, 0);
  auto anonymous = app().panels().GetSelection(nullptr, s.id);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_TRUE(anonymous->respondent_ids.empty());
  EXPECT_TRUE(std::is_sorted(anonymous->probabilities.begin(), anonymous->probabilities.end()));

  EXPECT_EQ(app().panels().DrawPanel(&residents_[0], p.id, s.id, "7").error().code,
            ErrorCode::kForbidden);
  auto members = app().panels().DrawPanel(&officer_, p.id, s.id, "424242");
  ASSERT_TRUE(members.ok()) << members.error().ToString();
  ASSERT_EQ(members->size(), 12u);
  EXPECT_EQ(app().panels().Get(p.id)->draw_seed, "424242");
  EXPECT_EQ(app().panels().DrawPanel(&officer_, p.id, s.id, "1").error().code, ErrorCode::kConflict);

  auto replaced = app().panels().ReplaceMember(&officer_, p.id, members->front().id, "Moved away");
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
  EXPECT_EQ(replaced->status, "replacement");
  auto now = app().panels().Members(p.id);
  int current = 0;
  for (const auto& m : *now) current += m.status != "dropped_out";
  EXPECT_EQ(current, 12);
  auto makeup = app().panels().MakeUp(p.id);
  ASSERT_TRUE(makeup.ok());
  int total = 0;
  for (const auto& row : *makeup) {
    EXPECT_GE(row.panel, row.min) << row.category << row.value;
    EXPECT_LE(row.panel, row.max) << row.category << row.value;
    if (row.category == "age") total += row.panel;
  }
  EXPECT_EQ(total, 12);
}

TEST_P(PanelsTest, InfeasibleQuotasGiveADiagnosis) {
  Panel p = PanelWithRespondents();
  auto cats = p.categories;
  cats[0].values[0].min = 10;  // ten aged 16-34 out of twelve, with the others' minimums
  cats[0].values[0].max = 10;
  ASSERT_TRUE(app().panels().SetQuotas(&officer_, p.id, cats).ok());
  Selection s = RunSelection(p.id);
  EXPECT_EQ(s.status, SelectionStatus::kInfeasible);
  EXPECT_FALSE(s.changes.empty());
  EXPECT_FALSE(s.summary.empty());
}

TEST_P(PanelsTest, AJobLeftRunningIsResumedByANewRunnerOnceItsHeartbeatIsStale) {
  Panel p = PanelWithRespondents();
  // A server computing the job was killed 5 seconds ago.
  const int64_t job = InsertJob(p.id, "running", 1, clock_.NowSeconds() - 5);
  EXPECT_EQ(app().panels().StartSelection(&officer_, p.id, "leximin").error().code,
            ErrorCode::kConflict);

  // The server starts again: a new App over the same database, with a new runner.
  App restarted(db(), clock_);
  restarted.panels().ResumeSelections();
  restarted.panels().WaitForSelections();
  // Too soon to tell a dead runner from a live one: the job is left alone.
  EXPECT_EQ(restarted.panels().GetSelection(&officer_, job)->status, SelectionStatus::kRunning);
  EXPECT_FALSE(restarted.panels().GetSelection(&officer_, job)->stalled);

  clock_.Advance(60);
  EXPECT_TRUE(restarted.panels().GetSelection(&officer_, job)->stalled);
  restarted.panels().ResumeSelections();
  restarted.panels().WaitForSelections();
  auto s = restarted.panels().GetSelection(&officer_, job);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->status, SelectionStatus::kDone) << s->error << s->summary;
  EXPECT_EQ(s->attempts, 2);
  EXPECT_EQ(s->probabilities.size(), 40u);
  EXPECT_NEAR(s->min_probability, 12.0 / 40, 0.02);

  // The resumption is on the record, and the panel can be drawn from the result.
  auto history = app().history().ForProgramme(programme_.id);
  ASSERT_TRUE(history.ok());
  bool resumed = false;
  for (const auto& h : *history) {
    if (h.action == "panel.selection.run") {
      resumed = nlohmann::json::parse(h.details_json).value("resumed", false);
    }
  }
  EXPECT_TRUE(resumed);
  EXPECT_TRUE(restarted.panels().DrawPanel(&officer_, p.id, job, "99").ok());
}

TEST_P(PanelsTest, AJobFromBeforeHeartbeatsIsResumedAtOnce) {
  Panel p = PanelWithRespondents();
  const int64_t job = InsertJob(p.id, "running", 0, std::nullopt);
  App restarted(db(), clock_);
  restarted.panels().ResumeSelections();
  restarted.panels().WaitForSelections();
  EXPECT_EQ(restarted.panels().GetSelection(&officer_, job)->status, SelectionStatus::kDone);
}

TEST_P(PanelsTest, TwoRunnersNeverComputeTheSameJob) {
  Panel p = PanelWithRespondents();
  const int64_t job = InsertJob(p.id, "queued", 0, std::nullopt);
  App a(db(), clock_), b(db(), clock_);
  a.panels().ResumeSelections();
  b.panels().ResumeSelections();
  a.panels().WaitForSelections();
  b.panels().WaitForSelections();
  auto s = a.panels().GetSelection(&officer_, job);
  EXPECT_EQ(s->status, SelectionStatus::kDone);
  EXPECT_EQ(s->attempts, 1);
}

TEST_P(PanelsTest, AJobInterruptedTooOftenFailsAndFreesThePanel) {
  Panel p = PanelWithRespondents();
  const int64_t job =
      InsertJob(p.id, "running", kMaxSelectionAttempts, clock_.NowSeconds() - 3600);
  App restarted(db(), clock_);
  restarted.panels().ResumeSelections();
  restarted.panels().WaitForSelections();
  auto s = restarted.panels().GetSelection(&officer_, job);
  EXPECT_EQ(s->status, SelectionStatus::kFailed);
  EXPECT_NE(s->error.find("interrupted 3 times"), std::string::npos) << s->error;
  Selection fresh = RunSelection(p.id);
  EXPECT_EQ(fresh.status, SelectionStatus::kDone);
}

TEST_P(PanelsTest, AnOrganiserStopsASelectionAStuckRunnerHolds) {
  Panel p = PanelWithRespondents();
  // A live runner (fresh heartbeat) that never finishes.
  const int64_t job = InsertJob(p.id, "running", 1, clock_.NowSeconds());
  EXPECT_EQ(app().panels().CancelSelection(&residents_[0], job).error().code,
            ErrorCode::kForbidden);
  auto stopped = app().panels().CancelSelection(&officer_, job);
  ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
  EXPECT_EQ(stopped->status, SelectionStatus::kFailed);
  EXPECT_EQ(stopped->error, "Stopped by an organiser");
  EXPECT_EQ(app().panels().CancelSelection(&officer_, job).error().code, ErrorCode::kConflict);
  // What the stuck runner writes when it wakes up no longer counts.
  ASSERT_TRUE(db().Transact([&](storage::Tx& tx) -> Status {
    return tx.Exec("UPDATE panel_selections SET heartbeat_at = :t WHERE id = :id AND "
                   "runner = 'gone' AND status = 'running'",
                   {clock_.NowSeconds(), job}).status();
  }).ok());
  EXPECT_EQ(app().panels().GetSelection(&officer_, job)->status, SelectionStatus::kFailed);
  EXPECT_EQ(RunSelection(p.id).status, SelectionStatus::kDone);
}

TEST_P(PanelsTest, QuotasFromPopulationFigures) {
  auto q = QuotasFromPopulation("category,value,percent\nage,16-34,25\nage,35+,75\n", 12);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(q->at(0).values[0].min, 3);
  EXPECT_EQ(q->at(0).values[0].max, 3);
  auto r = QuotasFromPopulation("age,16-34,30\n", 12);  // 3.6 seats
  EXPECT_EQ(r->at(0).values[0].min, 3);
  EXPECT_EQ(r->at(0).values[0].max, 4);
  EXPECT_EQ(QuotasFromPopulation("age,x\n", 12).error().fields.at(0).field, "population");
}

COMMUNITISE_APP_BACKENDS(PanelsTest);

}  // namespace
}  // namespace communitise::app
