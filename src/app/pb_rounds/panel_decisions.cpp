// Use cases: bids before a panel — a forum as a round's screening body, its discussion
// of each project, and, in a round without a public ballot, its decision per bid and
// the published outcome whose funded bids become awards.
#include <algorithm>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace pb_store {

Status LoadScreeningForum(storage::Tx& tx, PbRound& round) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT rf.forum_id, rf.panel_decides, f.name FROM "
                                         "pb_round_forums rf JOIN forums f ON f.id = "
                                         "rf.forum_id WHERE rf.round_id = :r",
                                         {round.id}));
  if (!row) return Status::Ok();
  round.screening_forum_id = row->Int(0);
  round.panel_decides = row->Bool(1);
  round.screening_forum_name = row->Text(2);
  ASSIGN_OR_RETURN(auto members, tx.Query("SELECT user_id FROM forum_members WHERE forum_id = :f "
                                          "AND active = 1 ORDER BY user_id",
                                          {row->Int(0)}));
  round.screeners.clear();
  for (const auto& m : members) round.screeners.push_back(m.Int(0));
  return Status::Ok();
}

Status AttachScreeningForum(storage::Tx& tx, const Actor* actor, int64_t programme_id,
                            int64_t round_id, int64_t forum_id, bool panel_decides,
                            int64_t now) {
  ASSIGN_OR_RETURN(auto forum, tx.QueryOne("SELECT programme_id, name FROM forums WHERE id = :f",
                                           {forum_id}));
  if (!forum || forum->Int(0) != programme_id) {
    return Error::Field("screening_forum_id", "Choose a forum of this programme");
  }
  ASSIGN_OR_RETURN(auto members, tx.QueryOne("SELECT COUNT(*) FROM forum_members WHERE "
                                             "forum_id = :f AND active = 1",
                                             {forum_id}));
  if (!members || members->Int(0) == 0) {
    return Error::Field("screening_forum_id", forum->Text(1) + " has no members yet");
  }
  RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_round_forums (round_id, forum_id, panel_decides) "
                          "VALUES (:r, :f, :d)",
                          {round_id, forum_id, panel_decides ? 1 : 0}));
  return internal::Audit(tx, now, actor, programme_id, "pb.round.screening_forum",
                         "pb_round:" + std::to_string(round_id),
                         {{"forum_id", forum_id},
                          {"forum", forum->Text(1)},
                          {"panel_decides", panel_decides}});
}

}  // namespace pb_store

namespace {

// What the bids the panel has decided to fund cost together.
Result<int64_t> FundedCost(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COALESCE(SUM(cost_pence), 0) FROM pb_projects "
                                         "WHERE round_id = :r AND status = 'accepted'",
                                         {round_id}));
  return row ? row->Int(0) : 0;
}

// In a split fund, what funding `p` would leave in its part (negative: over), and the
// part's name for a message. Parts are the ballot's (pb_store::Parts): each split, and
// the rest of the fund for bids in none.
Result<std::pair<int64_t, std::string>> LeftInPart(storage::Tx& tx, const PbRound& round,
                                                   const PbProject& p) {
  const auto parts = pb_store::Parts(round);
  if (parts.size() <= 1) return std::make_pair(int64_t{0}, std::string());
  const int part = pb_store::PartOf(round, parts, p.area, p.theme);
  if (part < 0) return Error::Conflict("This bid is in no part of the split fund");
  ASSIGN_OR_RETURN(auto all, pb_store::LoadProjects(tx, round.id));
  int64_t funded = 0;
  for (const auto& q : all) {
    if (q.status == PbProjectStatus::kAccepted &&
        pb_store::PartOf(round, parts, q.area, q.theme) == part) {
      funded += q.cost_pence;
    }
  }
  const std::string name = parts[part].kind == "whole" ? "the rest of the fund (outside its splits)"
                                                       : "the " + parts[part].name + " share of the fund";
  return std::make_pair(parts[part].budget_pence - funded - p.cost_pence, name);
}

}  // namespace

Result<PbDiscussionEntry> PbRounds::Discuss(const Actor* actor, int64_t project_id,
                                            std::string_view text) {
  const std::string t = internal::Trim(text);
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "text", "what you want to say", t, 1, 2000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  PbDiscussionEntry out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    ASSIGN_OR_RETURN(bool conflict, pb_store::DeclaredConflict(tx, project_id, actor->user_id));
    std::string why;
    if (!pb_permissions::CanDiscuss(actor, round.public_body_id, round.programme_id,
                                    round.screeners, p.proposer_id, conflict, &why)) {
      return Error::Forbidden(why);
    }
    if (round.phase != PbPhase::kScreening) {
      return Error::Conflict("Projects are discussed during screening");
    }
    ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO pb_discussion (project_id, user_id, text, "
                                           "at) VALUES (:p, :u, :t, :a) RETURNING id",
                                           {project_id, actor->user_id, t, now}));
    out = {id, project_id, actor->display_name, t, now};
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.discuss",
                           "pb_project:" + std::to_string(project_id), {{"entry", id}});
  }));
  return out;
}

Result<std::vector<PbDiscussionEntry>> PbRounds::Discussion(int64_t project_id) {
  std::vector<PbDiscussionEntry> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT d.id, d.project_id, u.display_name, d.text, d.at "
                                         "FROM pb_discussion d JOIN users u ON u.id = d.user_id "
                                         "WHERE d.project_id = :p ORDER BY d.id",
                                         {project_id}));
    for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4)});
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<PbInterest>> PbRounds::Interests(int64_t project_id) {
  std::vector<PbInterest> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT u.display_name, c.declaration, c.at FROM "
                                         "pb_conflicts c JOIN users u ON u.id = c.user_id WHERE "
                                         "c.project_id = :p ORDER BY c.at, u.display_name",
                                         {project_id}));
    for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
    return Status::Ok();
  }));
  return out;
}

Result<PbProject> PbRounds::Decide(const Actor* actor, int64_t project_id,
                                   const PanelDecisionForm& form) {
  std::vector<FieldError> errors;
  const bool fund = form.decision == "fund";
  if (!fund && form.decision != "decline") {
    errors.push_back({"decision", "Choose whether to fund the bid"});
  }
  const std::string reason = internal::Trim(form.reason);
  internal::CheckLength(errors, "reason", "the reason for the decision", reason, 1, 2000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (!round.panel_decides) {
      return Error::Conflict("This round's projects go to a public ballot; the panel screens "
                             "them instead");
    }
    ASSIGN_OR_RETURN(bool conflict, pb_store::DeclaredConflict(tx, project_id, actor->user_id));
    std::string why;
    if (!pb_permissions::CanScreen(actor, round.screeners, p.proposer_id, conflict, &why)) {
      return Error::Forbidden(why);
    }
    if (round.phase != PbPhase::kScreening) return Error::Conflict("The round is not in screening");
    if (p.status == PbProjectStatus::kSubmitted) {
      return Error::Conflict("An officer must check this bid's eligibility first");
    }
    if (p.status != PbProjectStatus::kEligible && p.status != PbProjectStatus::kIneligible) {
      return Error::Conflict("This bid has already been decided");
    }
    if (fund && p.status == PbProjectStatus::kIneligible) {
      return Error::Conflict("A bid found not eligible cannot be funded");
    }
    int64_t funded = 0;
    if (fund) {
      ASSIGN_OR_RETURN(funded, FundedCost(tx, round.id));
      if (funded + p.cost_pence > round.budget_pence) {
        return Error::Conflict("Funding this bid (" + pb_store::FormatPounds(p.cost_pence) +
                               ") would spend more than the fund: " +
                               pb_store::FormatPounds(round.budget_pence - funded) + " is left");
      }
      ASSIGN_OR_RETURN(auto left, LeftInPart(tx, round, p));
      if (left.first < 0) {
        return Error::Conflict("Funding this bid would spend more than " + left.second + ": " +
                               pb_store::FormatPounds(left.first + p.cost_pence) + " is left");
      }
      funded += p.cost_pence;
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET status = :s, screening_reason = :r, "
                            "updated_at = :t WHERE id = :id",
                            {fund ? "accepted" : "rejected", reason, now, project_id}));
    nlohmann::json details{{"reason", reason}, {"cost_pence", p.cost_pence}};
    if (fund) details["funded_total_pence"] = funded;
    return internal::Audit(tx, now, actor, round.programme_id,
                           fund ? "pb.project.fund" : "pb.project.decline",
                           "pb_project:" + std::to_string(project_id), details);
  }));
  return GetProject(actor, project_id);
}

Result<std::vector<PbRound>> PbRounds::ScreenedBy(int64_t forum_id) {
  std::vector<PbRound> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT round_id FROM pb_round_forums WHERE "
                                         "forum_id = :f ORDER BY round_id DESC",
                                         {forum_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, r.Int(0)));
      out.push_back(std::move(round));
    }
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> PbRounds::FundedByPanel(int64_t round_id) {
  int64_t out = 0;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, FundedCost(tx, round_id));
    return Status::Ok();
  }));
  return out;
}

Result<PbResults> PbRounds::StorePanelDecisions(const Actor* actor, int64_t round_id,
                                                storage::Tx& tx) {
  const int64_t now = clock_.NowSeconds();
  ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
  ASSIGN_OR_RETURN(auto projects, pb_store::LoadProjects(tx, round_id));
  PbResults results;
  results.round_id = round_id;
  results.rule = "panel";
  results.budget_pence = round.budget_pence;
  results.published_at = now;
  for (const auto& p : projects) {
    const bool funded = p.status == PbProjectStatus::kAccepted;
    if (!funded && p.status != PbProjectStatus::kRejected) continue;  // withdrawn, drafts
    PbProjectResult r;
    r.project_id = p.id;
    r.title = p.title;
    r.cost_pence = p.cost_pence;
    r.funded = funded;
    r.story = (funded ? "Funded by the decision of " : "Not funded by the decision of ") +
              round.screening_forum_name + ": " + p.screening_reason;
    if (funded) results.spent_pence += p.cost_pence;
    results.projects.push_back(std::move(r));
  }
  std::stable_sort(results.projects.begin(), results.projects.end(),
                   [](const PbProjectResult& a, const PbProjectResult& b) {
                     return a.funded > b.funded;
                   });
  nlohmann::json list = nlohmann::json::array();
  std::vector<int64_t> funded_ids;
  for (const auto& r : results.projects) {
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET funded = :f, story = :s WHERE id = :id",
                            {r.funded ? 1 : 0, r.story, r.project_id}));
    if (r.funded) {
      funded_ids.push_back(r.project_id);
      RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_awards (round_id, project_id, amount_pence, "
                              "awarded_at, status, updated_at) VALUES (:r, :p, :a, :t, "
                              "'in_progress', :t2)",
                              {round_id, r.project_id, r.cost_pence, now, now}));
    }
    list.push_back({{"project_id", r.project_id}, {"title", r.title},
                    {"cost_pence", r.cost_pence}, {"votes", 0}, {"funded", r.funded},
                    {"story", r.story}, {"part", 0}});
  }
  // One part: the panel decided over the whole fund (keeping each split's share).
  results.parts.push_back({"", "", results.budget_pence, results.spent_pence, 0});
  const nlohmann::json record{
      {"rule", results.rule},
      {"budget_pence", results.budget_pence},
      {"spent_pence", results.spent_pence},
      {"ballots", 0},
      {"published_at", now},
      {"parts", nlohmann::json::array({{{"kind", ""},
                                        {"name", ""},
                                        {"budget_pence", results.budget_pence},
                                        {"spent_pence", results.spent_pence},
                                        {"voters", 0}}})},
      {"projects", list}};
  RETURN_IF_ERROR(tx.Exec("UPDATE pb_rounds SET results = :j, published_at = :t WHERE id = :id",
                          {record.dump(), now, round_id}));
  RETURN_IF_ERROR(internal::Audit(tx, now, actor, round.programme_id, "pb.results.publish",
                                  "pb_round:" + std::to_string(round_id),
                                  {{"rule", "panel"},
                                   {"forum_id", round.screening_forum_id.value_or(0)},
                                   {"funded", funded_ids},
                                   {"spent_pence", results.spent_pence}}));
  return results;
}

}  // namespace communitise::app
