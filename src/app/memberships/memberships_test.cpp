#include "communitise/app/memberships.h"

#include "../app_test_support.h"
#include "communitise/storage/audit.h"

namespace communitise::app {
namespace {

using testing::AppTest;

class MembershipsTest : public AppTest {
 protected:
  Programme NeedProgramme(const Actor& officer, int64_t body, EligibilityMode mode) {
    CreateProgrammeForm f;
    f.public_body_id = body;
    f.name = std::string("Carers Forum ") + std::string(ToString(mode));
    f.nature = "core";
    f.services = {"Carers support"};
    f.network = "need_interest";
    f.eligibility_criteria = "Unpaid carers";
    f.methods = {"non_binding_deliberation"};
    ConstitutionRules r = DefaultRules(NetworkKind::kNeedInterest, {Method::kNonBindingDeliberation});
    r.eligibility_mode = mode;
    r.minimum_age = 0;
    f.rules = r;
    auto p = app().programmes().Create(&officer, f);
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return *p;
  }
};

TEST_P(MembershipsTest, JoinByPostcodeInTheProgrammesAreas) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const Programme p = MakeGeographicProgramme(officer, body);
  const Actor ann = MakeUser("ann@example.org");

  EXPECT_EQ(app().memberships().Join(nullptr, p.id, {"DH1 1AA", true, ""}).error().code,
            ErrorCode::kUnauthenticated);
  auto outside = app().memberships().Join(&ann, p.id, {"DH3 3AA", true, ""});  // ward E3
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().fields.at(0).field, "postcode");
  auto malformed = app().memberships().Join(&ann, p.id, {"DH1", true, ""});
  EXPECT_EQ(malformed.error().fields.at(0).field, "postcode");
  auto no_age = app().memberships().Join(&ann, p.id, {"dh11ab", false, ""});
  ASSERT_FALSE(no_age.ok());
  EXPECT_EQ(no_age.error().fields.at(0).field, "confirm_age");
  EXPECT_EQ(Count("memberships"), 0);

  auto joined = app().memberships().Join(&ann, p.id, {"dh11ab", true, ""});
  ASSERT_TRUE(joined.ok()) << joined.error().ToString();
  EXPECT_EQ(joined->status, MembershipStatus::kActive);
  EXPECT_EQ(joined->area_name, "North");
  EXPECT_EQ(joined->postcode, "DH1 1AB");
  EXPECT_EQ(app().programmes().Get(p.id)->member_count, 1);
  EXPECT_EQ(app().memberships().Join(&ann, p.id, {"DH1 1AB", true, ""}).error().code,
            ErrorCode::kConflict);

  // The public history records that someone joined, not who or where.
  auto history = app().history().ForProgramme(p.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ((*history)[0].action, "membership.join");
  EXPECT_EQ((*history)[0].actor, "");
  EXPECT_EQ((*history)[0].details_json.find("DH1"), std::string::npos);

  ASSERT_TRUE(app().memberships().Leave(&ann, p.id).ok());
  EXPECT_EQ(app().programmes().Get(p.id)->member_count, 0);
  EXPECT_EQ(app().memberships().Leave(&ann, p.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(app().memberships().Join(&ann, p.id, {"DH2 2AA", true, ""}).ok());
  EXPECT_EQ(app().memberships().MineIn(&ann, p.id)->value().area_name, "South");
}

TEST_P(MembershipsTest, OfficerApprovesApplications) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const Actor facilitator = MakeUser("facilitator@example.org", {Role::kFacilitator}, body);
  const Actor councillor = MakeUser("cllr@example.org", {Role::kCouncillor}, body);
  const Programme p = NeedProgramme(officer, body, EligibilityMode::kOfficerApproval);
  const Actor ann = MakeUser("ann@example.org");
  const Actor bob = MakeUser("bob@example.org");

  auto empty = app().memberships().Join(&ann, p.id, {"", false, "  "});
  EXPECT_EQ(empty.error().fields.at(0).field, "statement");
  auto applied = app().memberships().Join(&ann, p.id, {"", false, "I care for my mother"});
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  EXPECT_EQ(applied->status, MembershipStatus::kPending);
  auto bob_applied = app().memberships().Join(&bob, p.id, {"", false, "I care for my son"});
  ASSERT_TRUE(bob_applied.ok());

  // Members, councillors and anonymous visitors may not see or decide applications.
  for (const Actor* a : {&ann, &councillor}) {
    EXPECT_EQ(app().memberships().List(a, p.id).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(app().memberships().Decide(a, applied->id, {"approve", ""}).error().code,
              ErrorCode::kForbidden);
  }
  EXPECT_EQ(app().memberships().List(nullptr, p.id).error().code, ErrorCode::kUnauthenticated);

  auto pending = app().memberships().List(&facilitator, p.id, MembershipStatus::kPending);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].statement, "I care for my mother");
  EXPECT_EQ((*pending)[0].email, "ann@example.org");

  auto no_reason = app().memberships().Decide(&officer, bob_applied->id, {"reject", ""});
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  auto approved = app().memberships().Decide(&officer, applied->id, {"approve", ""});
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->status, MembershipStatus::kActive);
  EXPECT_EQ(app().memberships().Decide(&officer, applied->id, {"approve", ""}).error().code,
            ErrorCode::kConflict);
  auto rejected =
      app().memberships().Decide(&facilitator, bob_applied->id, {"reject", "Not a carer"});
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, MembershipStatus::kRejected);
  // Rejected people may apply again.
  EXPECT_EQ(app().memberships().Join(&bob, p.id, {"", false, "More detail"})->status,
            MembershipStatus::kPending);
  EXPECT_EQ(app().memberships().Mine(&bob)->size(), 1u);
}

TEST_P(MembershipsTest, SelfDeclarationIsActiveAtOnce) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const Programme p = NeedProgramme(officer, body, EligibilityMode::kSelfDeclaration);
  const Actor ann = MakeUser("ann@example.org");
  auto joined = app().memberships().Join(&ann, p.id, {"", false, "I am a carer"});
  ASSERT_TRUE(joined.ok()) << joined.error().ToString();
  EXPECT_EQ(joined->status, MembershipStatus::kActive);
  EXPECT_EQ(joined->basis, "self_declaration");
}

TEST_P(MembershipsTest, TheRulesInForceApply) {
  const int64_t body = MakeCouncil();
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const Programme p = MakeGeographicProgramme(officer, body);
  auto v1 = app().constitutions().Current(p.id);
  AmendConstitutionForm amend;
  amend.text = v1->text;
  amend.rules = v1->rules;
  amend.rules.minimum_age = 0;
  amend.change_note = "No minimum age from next week";
  amend.effective_from = clock_.NowSeconds() + 7 * 86400;
  ASSERT_TRUE(app().constitutions().Amend(&officer, p.id, amend).ok());
  const Actor ann = MakeUser("ann@example.org");
  // Still version 1 (minimum age 16): the age must be confirmed.
  EXPECT_EQ(app().memberships().Join(&ann, p.id, {"DH1 1AA", false, ""}).error().fields.at(0).field,
            "confirm_age");
  clock_.Advance(7 * 86400);
  EXPECT_TRUE(app().memberships().Join(&ann, p.id, {"DH1 1AA", false, ""}).ok());
  auto verify = storage::VerifyAuditLog(db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

COMMUNITISE_APP_BACKENDS(MembershipsTest);

}  // namespace
}  // namespace communitise::app
