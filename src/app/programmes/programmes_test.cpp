#include "communitise/app/programmes.h"

#include <set>

#include "../app_test_support.h"
#include "communitise/storage/audit.h"

namespace communitise::app {
namespace {

using testing::AppTest;

class ProgrammesTest : public AppTest {
 protected:
  CreateProgrammeForm Form(int64_t body) {
    CreateProgrammeForm f;
    f.public_body_id = body;
    f.name = "Youth Services Commissioning Panel";
    f.nature = "core";
    f.services = {"Youth mental health"};
    f.network = "need_interest";
    f.eligibility_criteria = "Young people aged 16 to 25 who use mental health services";
    f.methods = {"operational_engagement", "binding_deliberation"};
    return f;
  }
};

std::set<std::string> FieldsOf(const Error& e) {
  std::set<std::string> out;
  for (const auto& f : e.fields) out.insert(f.field);
  return out;
}

TEST_P(ProgrammesTest, CreateDerivesDepthQuadrantAndPublishesAConstitution) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  auto p = app().programmes().Create(&officer, Form(body));
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->slug, "youth-services-commissioning-panel");
  EXPECT_EQ(p->scope.depth, Method::kBindingDeliberation);
  EXPECT_EQ(p->scope.quadrants, std::vector<Quadrant>{Quadrant::kNeedInterestCore});
  EXPECT_EQ(p->scope.methods,
            (std::vector<Method>{Method::kOperationalEngagement, Method::kBindingDeliberation}));
  EXPECT_EQ(p->public_body_name, "Test Council");
  auto c = app().constitutions().Current(p->id);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(c->rules.eligibility_mode, EligibilityMode::kOfficerApproval);
  EXPECT_FALSE(c->text.empty());
  auto services = app().programmes().ListServices(body);
  ASSERT_TRUE(services.ok());
  ASSERT_EQ(services->size(), 1u);
  EXPECT_EQ((*services)[0].nature, ServiceNature::kCore);

  auto history = app().history().ForProgramme(p->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].action, "programme.create");
  EXPECT_EQ((*history)[1].actor_name, "Person officer@example.org");
  EXPECT_EQ((*history)[0].action, "constitution.publish");
}

TEST_P(ProgrammesTest, EveryAnswerIsValidated) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  CreateProgrammeForm f;
  f.public_body_id = body;
  f.nature = "statutory-ish";
  f.network = "postal";
  f.methods = {"shouting"};
  f.annual_budget_pence = -5;
  auto r = app().programmes().Create(&officer, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), (std::set<std::string>{"name", "nature", "services", "network",
                                                        "methods", "annual_budget_pence"}));
  f = Form(body);
  f.network = "geographic";
  f.methods = {};
  r = app().programmes().Create(&officer, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FieldsOf(r.error()), (std::set<std::string>{"areas", "methods"}));
  // Rules that do not fit: a board is needed for formal governance.
  f = Form(body);
  f.methods = {"formal_governance"};
  ConstitutionRules rules = DefaultRules(NetworkKind::kNeedInterest, {Method::kNonBindingDeliberation});
  f.rules = rules;
  r = app().programmes().Create(&officer, f);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(FieldsOf(r.error()).count("board_residents"));
  EXPECT_EQ(Count("programmes"), 0);
}

TEST_P(ProgrammesTest, OnlyOfficersAndAdminsCreate) {
  const int64_t body = MakeCouncil();
  const int64_t other_body = app().public_bodies().Create(&system_, {"Other", "other", "nhs"})->id;
  for (Role role : {Role::kMember, Role::kFacilitator, Role::kCommunityResearcher,
                    Role::kCouncillor, Role::kPartner}) {
    const Actor a = MakeUser(std::string(ToString(role)) + "@example.org", {role}, body);
    auto r = app().programmes().Create(&a, Form(body));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << ToString(role);
  }
  const Actor elsewhere = MakeUser("officer-elsewhere@example.org", {Role::kOfficer}, other_body);
  EXPECT_EQ(app().programmes().Create(&elsewhere, Form(body)).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(app().programmes().Create(nullptr, Form(body)).error().code, ErrorCode::kForbidden);
  const Actor admin = MakeUser("admin@example.org", {Role::kAdmin}, body);
  EXPECT_TRUE(app().programmes().Create(&admin, Form(body)).ok());
}

TEST_P(ProgrammesTest, AFailureLateInTheTransactionWritesNothing) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  CreateProgrammeForm f = Form(body);
  f.network = "geographic";
  f.eligibility_criteria.clear();
  f.services = {"A brand new service"};
  f.areas = {"E1", "E404"};  // the unknown area is found after the service is added
  const int64_t audit_before = AuditCount();
  auto r = app().programmes().Create(&officer, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FieldsOf(r.error()), std::set<std::string>{"areas"});
  EXPECT_EQ(Count("programmes"), 0);
  EXPECT_EQ(Count("services"), 0);
  EXPECT_EQ(Count("constitutions"), 0);
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_P(ProgrammesTest, SlugsAreUnique) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  ASSERT_TRUE(app().programmes().Create(&officer, Form(body)).ok());
  auto again = app().programmes().Create(&officer, Form(body));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(FieldsOf(again.error()), std::set<std::string>{"name"});
}

TEST_P(ProgrammesTest, WideningKeepsHistoryAndMovesUpTheArrow) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  Programme p = MakeGeographicProgramme(officer, body);
  EXPECT_EQ(p.scope.depth, Method::kNonBindingDeliberation);
  ASSERT_EQ(p.areas.size(), 2u);

  clock_.Advance(86400);
  UpdateScopeForm widen;
  widen.nature = "both";
  widen.areas = {"E1", "E2", "E3"};
  widen.methods = {"non_binding_deliberation", "binding_deliberation"};
  widen.change_note = "The panel's decisions now bind the council";
  auto updated = app().programmes().UpdateScope(&officer, p.id, widen);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->scope.depth, Method::kBindingDeliberation);
  EXPECT_EQ(updated->scope.quadrants.size(), 2u);
  EXPECT_EQ(updated->areas.size(), 3u);

  // Formal governance needs a board the constitution does not have yet.
  UpdateScopeForm govern;
  govern.methods = {"formal_governance"};
  govern.change_note = "A board takes over";
  auto refused = app().programmes().UpdateScope(&officer, p.id, govern);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FieldsOf(refused.error()), std::set<std::string>{"methods"});

  auto history = app().programmes().ScopeHistory(p.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].depth, Method::kNonBindingDeliberation);
  EXPECT_EQ((*history)[1].depth, Method::kBindingDeliberation);
  EXPECT_EQ((*history)[1].at, testing::kStart + 86400);

  const Actor councillor = MakeUser("cllr@example.org", {Role::kCouncillor}, body);
  EXPECT_EQ(app().programmes().UpdateScope(&councillor, p.id, widen).error().code,
            ErrorCode::kForbidden);
}

TEST_P(ProgrammesTest, ConstitutionVersionsAndTheVersionInForce) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  Programme p = MakeGeographicProgramme(officer, body);
  const int64_t decision_started = clock_.NowSeconds();

  clock_.Advance(3600);
  auto v1 = app().constitutions().Current(p.id);
  ASSERT_TRUE(v1.ok());
  AmendConstitutionForm amend;
  amend.text = v1->text + "\n\nYoung people from 11 may now take part.";
  amend.rules = v1->rules;
  amend.rules.minimum_age = 11;
  amend.change_note = "Lower the minimum age to 11";
  auto v2 = app().constitutions().Amend(&officer, p.id, amend);
  ASSERT_TRUE(v2.ok()) << v2.error().ToString();
  EXPECT_EQ(v2->version, 2);

  // A future-dated amendment is published now but not yet in force.
  amend.rules.response_days = 28;
  amend.change_note = "Answer recommendations within four weeks from next month";
  amend.effective_from = clock_.NowSeconds() + 30 * 86400;
  ASSERT_TRUE(app().constitutions().Amend(&officer, p.id, amend).ok());

  EXPECT_EQ(app().constitutions().Current(p.id)->version, 2);
  EXPECT_EQ(app().constitutions().InForceAt(p.id, decision_started)->version, 1);
  EXPECT_EQ(app().constitutions().InForceAt(p.id, decision_started)->rules.minimum_age, 16);
  EXPECT_EQ(app().constitutions().InForceAt(p.id, clock_.NowSeconds() + 31 * 86400)->version, 3);
  EXPECT_EQ(app().constitutions().ListVersions(p.id)->size(), 3u);
  EXPECT_EQ(app().constitutions().InForceAt(p.id, testing::kStart - 1).error().code,
            ErrorCode::kNotFound);

  // Bad amendments: a past date, empty text, rules that do not fit, the wrong person.
  AmendConstitutionForm bad = amend;
  bad.effective_from = clock_.NowSeconds() - 1;
  bad.text = "";
  bad.rules.quorum_percent = 0;
  auto refused = app().constitutions().Amend(&officer, p.id, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FieldsOf(refused.error()), (std::set<std::string>{"effective_from", "text"}));
  bad = amend;
  bad.effective_from.reset();
  bad.rules.quorum_percent = 0;
  EXPECT_EQ(FieldsOf(app().constitutions().Amend(&officer, p.id, bad).error()),
            std::set<std::string>{"quorum_percent"});
  const Actor member = MakeUser("member@example.org", {Role::kMember}, body);
  amend.effective_from.reset();
  EXPECT_EQ(app().constitutions().Amend(&member, p.id, amend).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(app().constitutions().ListVersions(p.id)->size(), 3u);

  auto history = app().history().ForProgramme(p.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ((*history)[0].action, "constitution.amend");
  EXPECT_NE((*history)[0].description.find("four weeks"), std::string::npos);
  auto verify = storage::VerifyAuditLog(db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

TEST_P(ProgrammesTest, ImportingAreasIsAllOrNothing) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const int64_t postcodes_before = Count("postcodes");
  auto bad = app().public_bodies().ImportAreas(
      &officer, body, "pcds,wd24cd,wd24nm\nDH4 4AA,E4,West\nrubbish,E4,West\n", "west.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().public_message.rfind("west.csv:3:", 0), 0u);
  EXPECT_EQ(Count("postcodes"), postcodes_before);
  const Actor resident = MakeUser("resident@example.org");
  EXPECT_EQ(app().public_bodies()
                .ImportAreas(&resident, body, "pcds,wd24cd\nDH4 4AA,E4\n", "w.csv")
                .error()
                .code,
            ErrorCode::kForbidden);
  auto good = app().public_bodies().ImportAreas(&officer, body,
                                                "pcds,wd24cd,wd24nm\nDH4 4AA,E4,West\nDH1 1AA,E4,West\n",
                                                "west.csv");
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_EQ(good->postcodes, 2);
  EXPECT_EQ(app().public_bodies().FindArea(body, "dh11aa")->code, "E4");  // moved ward
  EXPECT_EQ(app().public_bodies().ListAreas(body)->size(), 4u);
  EXPECT_EQ(app().public_bodies().FindArea(body, "ZZ9 9ZZ").error().code, ErrorCode::kNotFound);
}

COMMUNITISE_APP_BACKENDS(ProgrammesTest);

}  // namespace
}  // namespace communitise::app
