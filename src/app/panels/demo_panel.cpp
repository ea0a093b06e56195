#include "demo_panel.h"

#include <map>

#include "../accounts/store.h"
#include "../common/util.h"

namespace communitise::app {

Status SeedPanelDemo(App& app, const Actor& officer, int64_t programme_id) {
  const Actor system = SystemActor();
  CreatePanelForm form;
  form.name = "NCIL resident panel 2026";
  form.panel_size = 10;
  form.quotas_csv =
      "category,feature,min,max\n"
      "age,16-34,2,4\nage,35-54,2,4\nage,55+,2,4\n"
      "gender,female,4,6\ngender,male,4,6\n"
      "area,Eastbury,4,6\narea,Thames View,4,6\n";
  ASSIGN_OR_RETURN(Panel panel, app.panels().Create(&officer, programme_id, form));

  const char* postcodes[] = {"IG11 7DA", "IG11 7DB", "RM9 6EA", "RM9 6EB"};
  std::string csv = "id,line1,line2,postcode\n";
  for (int i = 1; i <= 1000; ++i) {
    csv += "DEMO" + std::to_string(10000 + i) + "," + std::to_string(i) + " Ripple Road,Barking," +
           postcodes[i % 4] + "\n";
  }
  RETURN_IF_ERROR(app.panels().ImportAddresses(&officer, panel.id, csv, "demo-addresses.csv"));
  RETURN_IF_ERROR(app.panels().PublishInvitationSeed(&officer, panel.id, "20260401"));
  RETURN_IF_ERROR(app.panels().DrawInvitations(&officer, panel.id, 100));
  ASSIGN_OR_RETURN(auto letters, app.panels().Letters(&officer, panel.id));

  const char* ages[] = {"16-34", "35-54", "55+"};
  const char* names[] = {"Amara", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hassan",
                         "Ines", "Jack", "Kemi", "Liam", "Maya", "Nikhil", "Olu", "Priya",
                         "Quinn", "Rosa", "Sam", "Tomasz", "Uche", "Vera", "Wes", "Xin",
                         "Yusuf", "Zara", "Alfie", "Bea", "Cal", "Dina"};
  // The 30 accounts share one password, hashed once: argon2 is made to be slow, and the
  // demo is seeded at every start of `serve --demo` and by many tests.
  ASSIGN_OR_RETURN(std::string hash, HashPassword("demo panel member password"));
  const int64_t now = app.clock().NowSeconds();
  std::vector<int64_t> user_ids;
  RETURN_IF_ERROR(app.db().Transact([&](storage::Tx& tx) -> Status {
    user_ids.clear();
    for (int i = 0; i < 30; ++i) {
      const std::string email = "panel" + std::to_string(i + 1) + "@demo.communitise.test";
      ASSIGN_OR_RETURN(int64_t id, accounts_store::InsertUser(
                                       tx, email, std::string(names[i]) + " (panel)", hash,
                                       false, now));
      RETURN_IF_ERROR(internal::Audit(tx, now, &system, std::nullopt, "user.create",
                                      "user:" + std::to_string(id), {{"site_admin", false}}));
      user_ids.push_back(id);
    }
    return Status::Ok();
  }));
  std::vector<Actor> respondents;
  for (int i = 0; i < 30; ++i) {
    ASSIGN_OR_RETURN(Actor a, app.accounts().LoadActor(user_ids[i]));
    RegisterForm r;
    r.code = letters[i].code;
    r.features = {{"age", ages[i % 3]},
                  {"gender", i % 2 ? "female" : "male"},
                  {"area", letters[i].area_name}};
    r.availability = i % 2 ? "Weekday evenings" : "Saturdays";
    r.consent = true;
    RETURN_IF_ERROR(app.panels().Register(&a, r));
    respondents.push_back(std::move(a));
  }
  ASSIGN_OR_RETURN(Selection selection, app.panels().StartSelection(&officer, panel.id, "leximin"));
  app.panels().WaitForSelections();
  ASSIGN_OR_RETURN(selection, app.panels().GetSelection(&officer, selection.id));
  if (selection.status != SelectionStatus::kDone) {
    return Error::Internal("demo selection did not finish: " + selection.summary + selection.error);
  }
  ASSIGN_OR_RETURN(auto members, app.panels().DrawPanel(&officer, panel.id, selection.id, "777"));

  CreateForumForm ff;
  ff.kind = "resident_panel";
  ff.name = "NCIL resident panel";
  ff.purpose = "Recommends which neighbourhood projects the levy should fund.";
  ff.panel_id = panel.id;
  ff.community_statements = true;
  ASSIGN_OR_RETURN(Forum forum, app.forums().Create(&officer, programme_id, ff));
  ASSIGN_OR_RETURN(ForumSession session,
                   app.forums().AddSession(&officer, forum.id,
                                           {"First meeting: what the levy can pay for",
                                            app.clock().NowSeconds(), "Barking Learning Centre",
                                            "1. Welcome and introductions\n2. How NCIL works\n"
                                            "3. Questions to the officer\n4. First vote"}));
  RETURN_IF_ERROR(app.forums().AddEvidence(
      &officer, session.id,
      {"evidence", "NCIL in 2026: £327,000 to allocate", "Planning team",
       "The levy raised £327,000 this year. Projects must support the development of the area: "
       "community facilities, green spaces, play and safer streets.",
       "", "", ""}));
  ASSIGN_OR_RETURN(Motion motion,
                   app.forums().OpenMotion(&officer, forum.id,
                                           {"Prioritise play and youth spaces",
                                            "The panel recommends that at least a third of this "
                                            "year's levy funds play and youth spaces."}));
  std::map<int64_t, const Actor*> by_user;
  for (const Actor& a : respondents) by_user[a.user_id] = &a;
  int n = 0;
  for (const auto& m : members) {
    const Actor* a = by_user.at(m.user_id);
    RETURN_IF_ERROR(app.forums().VoteMotion(a, motion.id, n++ < 7 ? "for" : "against"));
  }
  RETURN_IF_ERROR(app.forums().CloseMotion(&officer, motion.id));
  return Status::Ok();
}

}  // namespace communitise::app
