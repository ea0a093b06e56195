// Demo data: a council, its wards and postcodes, two programmes modelled on the report,
// and people to sign in as. Everything goes through the use cases (so it is validated
// and audited like real use); the system actor stands in for the person setting up.
#include "communitise/app/app.h"
#include "communitise/app/demo.h"

#include "../panels/demo_panel.h"

namespace communitise::app {

namespace {

constexpr char kBodySlug[] = "demo-council";
constexpr char kAapSlug[] = "riverside-area-action-partnership";
constexpr char kPanelSlug[] = "ncil-resident-panel";

// ONS Postcode Directory column style; codes and postcodes are made up for the demo.
constexpr char kAreasCsv[] =
    "pcds,wd24cd,wd24nm,doterm\n"
    "DH2 1AA,E05990001,Riverside North,\n"
    "DH2 1AB,E05990001,Riverside North,\n"
    "DH2 2BA,E05990002,Riverside South,\n"
    "DH2 2BB,E05990002,Riverside South,\n"
    "DH3 3CA,E05990003,Old Mill,\n"
    "DH3 3CB,E05990003,Old Mill,\n"
    "IG11 7DA,E05990004,Eastbury,\n"
    "IG11 7DB,E05990004,Eastbury,\n"
    "RM9 6EA,E05990005,Thames View,\n"
    "RM9 6EB,E05990005,Thames View,\n"
    "DH9 9ZZ,E05990003,Old Mill,20200101\n";

struct Person {
  const char* email;
  const char* password;
  const char* name;
  const char* description;
  bool site_admin;
  std::vector<Role> body_roles;
};

const std::vector<Person>& People() {
  static const std::vector<Person> people = {
      {"admin@demo.communitise.test", "demo-admin-password", "Sam Admin",
       "Site admin and admin of Demo Borough Council", true, {Role::kAdmin}},
      {"officer@demo.communitise.test", "demo-officer-password", "Olu Officer",
       "Officer, Demo Borough Council", false, {Role::kOfficer}},
      {"facilitator@demo.communitise.test", "demo-facilitator-password", "Fran Facilitator",
       "Facilitator, Demo Borough Council", false, {Role::kFacilitator}},
      {"councillor@demo.communitise.test", "demo-councillor-password", "Cllr Chris Patel",
       "Councillor (board member), Demo Borough Council", false, {Role::kCouncillor}},
      {"partner@demo.communitise.test", "demo-partner-password", "Pat Partner",
       "Partner organisation (board member)", false, {Role::kPartner}},
      {"resident1@demo.communitise.test", "demo-resident-password", "Rosa Resident",
       "Resident of Riverside North (member of the area action partnership)", false, {}},
      {"resident2@demo.communitise.test", "demo-resident-password", "Ravi Resident",
       "Resident of Eastbury (member of the resident panel)", false, {}},
      {"resident3@demo.communitise.test", "demo-resident-password", "Robin Resident",
       "Resident of Old Mill (not yet a member of anything)", false, {}},
  };
  return people;
}

DemoSummary Summary() {
  DemoSummary s;
  s.public_body_slug = kBodySlug;
  s.programme_slugs = {kAapSlug, kPanelSlug};
  for (const Person& p : People()) s.logins.push_back({p.email, p.password, p.description});
  s.sample_postcodes = {"DH2 1AA (Riverside North)", "DH3 3CA (Old Mill)", "IG11 7DA (Eastbury)",
                        "RM9 6EA (Thames View)"};
  return s;
}

std::optional<int64_t> UserId(storage::Database& db, const std::string& email) {
  std::optional<int64_t> id;
  Status s = db.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE email = :e", {email}));
    if (row) id = row->Int(0);
    return Status::Ok();
  });
  return s.ok() ? id : std::nullopt;
}

}  // namespace

Result<DemoSummary> SeedDemo(storage::Database& db, Clock& clock) {
  App app(db, clock);
  if (app.public_bodies().GetBySlug(kBodySlug).ok()) return Summary();
  const Actor system = SystemActor();

  ASSIGN_OR_RETURN(PublicBody body, app.public_bodies().Create(
                                        &system, {"Demo Borough Council", kBodySlug, "council"}));
  RETURN_IF_ERROR(app.public_bodies().ImportAreas(&system, body.id, kAreasCsv, "demo-wards.csv"));

  for (const Person& p : People()) {
    auto created = app.accounts().CreateUser(&system, {p.email, p.password, p.name, p.site_admin});
    if (!created.ok() && created.error().code != ErrorCode::kConflict) return created.error();
    for (Role role : p.body_roles) {
      RETURN_IF_ERROR(app.accounts().GrantRole(
          &system, {p.email, std::string(ToString(role)), body.id, 0}));
    }
  }
  const auto officer_id = UserId(db, "officer@demo.communitise.test");
  if (!officer_id) return Error::Internal("demo officer missing");
  ASSIGN_OR_RETURN(Actor officer, app.accounts().LoadActor(*officer_id));

  // Durham-style Area Action Partnership: geographic, discretionary, binding PB and a
  // formal board of 7 residents, 7 councillors and 7 partners with £100,000 a year.
  CreateProgrammeForm aap;
  aap.public_body_id = body.id;
  aap.name = "Riverside Area Action Partnership";
  aap.slug = kAapSlug;
  aap.summary =
      "A partnership board of residents, councillors and partner organisations that decides "
      "how £100,000 a year is spent on local priorities in the Riverside and Old Mill wards. "
      "Residents choose projects by participatory budgeting, and the board's decisions bind "
      "the council.";
  aap.nature = "discretionary";
  aap.services = {"Parks and green spaces", "Youth activities", "Community safety",
                  "Environment and streetscape"};
  aap.network = "geographic";
  aap.areas = {"E05990001", "E05990002", "E05990003"};
  aap.methods = {"binding_deliberation", "formal_governance"};
  aap.annual_budget_pence = 100000 * 100;
  ConstitutionRules aap_rules;
  aap_rules.eligibility_mode = EligibilityMode::kPostcodeInAreas;
  aap_rules.minimum_age = 16;
  aap_rules.binding_threshold_percent = 60;
  aap_rules.quorum_percent = 20;
  aap_rules.response_days = 28;
  aap_rules.pb_rule = PbRule::kEqualShares;
  aap_rules.ballot_type = BallotType::kApproval;
  aap_rules.approval_limit = 5;
  aap_rules.board = BoardComposition{7, 7, 7};
  aap.rules = aap_rules;
  ASSIGN_OR_RETURN(Programme aap_programme, app.programmes().Create(&officer, aap));

  // Barking & Dagenham-style NCIL resident panel: geographic, non-binding deliberation
  // by a panel drawn by lottery; the council answers every recommendation in public.
  CreateProgrammeForm panel;
  panel.public_body_id = body.id;
  panel.name = "Neighbourhood CIL Resident Panel";
  panel.slug = kPanelSlug;
  panel.summary =
      "A panel of 20 residents chosen by a fair lottery from 1,000 randomly invited "
      "addresses, reflecting the borough's diversity. The panel screens bids from voluntary "
      "groups for Neighbourhood Community Infrastructure Levy money and recommends which to "
      "fund; the council answers every recommendation in public.";
  panel.nature = "discretionary";
  panel.services = {"Neighbourhood infrastructure", "Community facilities"};
  panel.network = "geographic";
  panel.areas = {"E05990004", "E05990005"};
  panel.methods = {"non_binding_deliberation"};
  panel.annual_budget_pence = 327000 * 100;
  ConstitutionRules panel_rules;
  panel_rules.eligibility_mode = EligibilityMode::kPostcodeInAreas;
  panel_rules.minimum_age = 16;
  panel_rules.binding_threshold_percent = 50;
  panel_rules.quorum_percent = 50;
  panel_rules.response_days = 56;
  panel.rules = panel_rules;
  ASSIGN_OR_RETURN(Programme panel_programme, app.programmes().Create(&officer, panel));

  const struct {
    const char* email;
    int64_t programme;
    const char* postcode;
  } joins[] = {{"resident1@demo.communitise.test", aap_programme.id, "DH2 1AA"},
               {"resident2@demo.communitise.test", panel_programme.id, "IG11 7DA"}};
  for (const auto& j : joins) {
    const auto id = UserId(db, j.email);
    if (!id) return Error::Internal("demo resident missing");
    ASSIGN_OR_RETURN(Actor resident, app.accounts().LoadActor(*id));
    JoinForm form;
    form.postcode = j.postcode;
    form.confirm_age = true;
    RETURN_IF_ERROR(app.memberships().Join(&resident, j.programme, form));
  }
  RETURN_IF_ERROR(SeedDemoPbRound(app, officer, aap_programme.id, "DH2 1AA"));
  RETURN_IF_ERROR(SeedPanelDemo(app, officer, panel_programme.id));
  return Summary();
}

}  // namespace communitise::app
