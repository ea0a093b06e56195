// Demo data: a participatory-budgeting round run from start to published results.
#include "communitise/app/app.h"
#include "communitise/app/pb_rounds.h"

namespace communitise::app {

Status SeedDemoPbRound(App& app, const Actor& officer, int64_t programme_id,
                       const std::string& postcode) {
  const Actor system = SystemActor();
  const int64_t now = app.clock().NowSeconds();
  const char* names[] = {"Vera Voter", "Victor Voter", "Val Voter", "Vic Voter", "Viv Voter",
                         "Vinny Voter"};
  std::vector<Actor> voters;
  for (int i = 0; i < 6; ++i) {
    const std::string email = "voter" + std::to_string(i + 1) + "@demo.communitise.test";
    ASSIGN_OR_RETURN(int64_t user_id, app.accounts().CreateUser(
                                          &system, {email, "demo-voter-password", names[i], false}));
    ASSIGN_OR_RETURN(Actor voter, app.accounts().LoadActor(user_id));
    JoinForm join;
    join.postcode = postcode;
    join.confirm_age = true;
    RETURN_IF_ERROR(app.memberships().Join(&voter, programme_id, join));
    voters.push_back(voter);
  }
  OpenRoundForm open;
  open.title = "Riverside community fund 2026";
  open.budget_pence = 50000 * 100;
  open.proposals_close = now + 14 * 86400;
  open.voting_opens = now + 21 * 86400;
  open.voting_closes = now + 35 * 86400;
  open.screeners = {"voter1@demo.communitise.test"};
  ASSIGN_OR_RETURN(PbRound round, app.pb_rounds().Open(&officer, programme_id, open));

  struct Idea {
    const char* title;
    const char* summary;
    int64_t pounds;
    const char* org;
    const char* number;
    const char* theme;
  } ideas[] = {
      {"Riverside path lighting", "Solar lights along the riverside path so it is safe after dark.",
       18000, "", "", "Community safety"},
      {"Old Mill youth football", "Weekly coached football sessions for 11–16 year olds.", 9500,
       "Old Mill Youth Sports", "1123456", "Youth activities"},
      {"Community orchard", "Plant and care for a 30-tree orchard on Mill Lane green.", 12000,
       "Riverside Growers CIC", "12345678", "Parks and green spaces"},
      {"Repair café", "A monthly repair café in the community centre.", 6000, "", "",
       "Environment and streetscape"},
      {"Skate park resurfacing", "Resurface the skate park and add two ramps.", 30000, "", "",
       "Youth activities"},
  };
  std::vector<int64_t> ids;
  for (size_t i = 0; i < std::size(ideas); ++i) {
    ProjectForm f;
    f.kind = ideas[i].org[0] ? "bid" : "proposal";
    f.title = ideas[i].title;
    f.summary = ideas[i].summary;
    f.cost_pence = ideas[i].pounds * 100;
    f.org_name = ideas[i].org;
    f.org_number = ideas[i].number;
    f.theme = ideas[i].theme;
    f.area = "Riverside North";
    ASSIGN_OR_RETURN(auto p, app.pb_rounds().Submit(&voters[1 + i % 5], round.id, f));
    ids.push_back(p.id);
  }
  RETURN_IF_ERROR(app.pb_rounds().SetPhase(&officer, round.id, "screening").status());
  for (size_t i = 0; i < ids.size(); ++i) {
    CheckForm check;
    if (i == 4) {
      check.cost_pence = 26000 * 100;
      check.cost_reason = "The council's framework contractor quoted £26,000";
    }
    RETURN_IF_ERROR(app.pb_rounds().Check(&officer, ids[i], check).status());
    ScreenForm screen{"accept", "Meets the fund's criteria and can be delivered this year"};
    RETURN_IF_ERROR(app.pb_rounds().Screen(&voters[0], ids[i], screen).status());
  }
  RETURN_IF_ERROR(app.pb_rounds().SetPhase(&officer, round.id, "voting").status());
  const std::vector<std::vector<int>> choices = {{0, 1, 3}, {0, 2}, {4, 1}, {0, 4, 3},
                                                 {2, 3}, {1, 2, 3}};
  for (size_t v = 0; v < voters.size(); ++v) {
    CastBallotForm ballot;
    for (int c : choices[v]) ballot.choices.push_back(ids[c]);
    RETURN_IF_ERROR(app.pb_rounds().CastBallot(&voters[v], round.id, ballot).status());
  }
  return app.pb_rounds().SetPhase(&officer, round.id, "results").status();
}

}  // namespace communitise::app
