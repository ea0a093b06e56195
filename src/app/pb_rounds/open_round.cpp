// Use case: an officer (or, where the constitution says so, a board member) opens a
// participatory-budgeting round on a programme's fund.
#include <cctype>
#include <set>

#include "../common/util.h"
#include "../constitutions/store.h"
#include "../programmes/store.h"
#include "communitise/app/constitutions.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
std::string RuleName(PbRule r) {
  switch (r) {
    case PbRule::kGreedy: return "greedy";
    case PbRule::kEqualShares: return "equal_shares";
    case PbRule::kPhragmen: return "phragmen";
  }
  return "greedy";
}
}  // namespace

Result<PbRound> PbRounds::Open(const Actor* actor, int64_t programme_id, const OpenRoundForm& form) {
  const int64_t now = clock_.NowSeconds();
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "title", "a title", form.title, 1, 200);
  if (form.budget_pence <= 0) errors.push_back({"budget_pence", "Enter the amount of the fund"});
  if (form.proposals_close <= now) {
    errors.push_back({"proposals_close", "The closing date for proposals must be in the future"});
  }
  if (!form.panel_decides && form.voting_opens < form.proposals_close) {
    errors.push_back({"voting_opens", "Voting must open after proposals close"});
  }
  if (!form.panel_decides && form.voting_closes <= form.voting_opens) {
    errors.push_back({"voting_closes", "Voting must close after it opens"});
  }
  int64_t split_total = 0;
  std::set<std::string> split_names;
  for (const auto& s : form.splits) {
    if ((s.kind != "area" && s.kind != "theme") || internal::Trim(s.name).empty() ||
        s.amount_pence <= 0) {
      errors.push_back({"splits", "Each split needs area or theme, a name and an amount"});
      break;
    }
    if (s.kind != form.splits.front().kind) {
      errors.push_back({"splits", "Split the fund by area or by theme, not both"});
      break;
    }
    std::string folded = internal::Trim(s.name);
    for (char& ch : folded) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!split_names.insert(folded).second) {
      errors.push_back({"splits", "Each split needs its own name; " + internal::Trim(s.name) +
                                      " is there twice"});
      break;
    }
    split_total += s.amount_pence;
  }
  if (split_total > form.budget_pence) {
    errors.push_back({"splits", "The splits add up to more than the fund"});
  }
  if (form.screening_forum_id && !form.screeners.empty()) {
    errors.push_back({"screeners", "Name members or choose a forum, not both"});
  } else if (form.screeners.empty() && !form.screening_forum_id) {
    errors.push_back({"screeners", form.panel_decides
                                       ? "Choose the forum that decides the bids"
                                       : "Name at least one member of the screening panel"});
  }
  if (form.panel_decides && !form.screening_forum_id) {
    errors.push_back({"screening_forum_id", "Choose the forum that decides the bids"});
  }
  if (form.approval_min != -1 && form.approval_min < 1) {
    errors.push_back({"approval_min", "At least 1"});
  }
  if (form.approval_max < -1) errors.push_back({"approval_max", "0 (no limit) or more"});
  if (form.points != -1 && (form.points < 1 || form.points > 1000)) {
    errors.push_back({"points", "Between 1 and 1,000"});
  }
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));

  int64_t round_id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
    ASSIGN_OR_RETURN(auto c, constitutions_store::InForceAt(tx, programme_id, now));
    if (!c) return Error::Conflict("This programme has no constitution in force");
    if (!pb_permissions::CanOpenRounds(actor, p.public_body_id, programme_id,
                                       c->rules.pb_round_openers)) {
      return Error::Forbidden(
          c->rules.pb_round_openers == RoundOpeners::kOfficersAndBoard
              ? "Only officers of " + p.public_body_name + " and members of the board can open a round"
              : "Only officers of " + p.public_body_name + " can open a round");
    }
    const int approval_min = form.approval_min >= 1 ? form.approval_min : c->rules.approval_minimum;
    const int approval_max = form.approval_max >= 0 ? form.approval_max : c->rules.approval_limit;
    const int points = form.points >= 1 ? form.points : c->rules.points;
    if (approval_max > 0 && approval_max < approval_min) {
      return Error::InvalidArgument(
          "Check the ballot limits",
          {{form.approval_min >= 1 ? "approval_min" : "approval_max",
            "The fewest projects on a ballot (" + std::to_string(approval_min) +
                ") must not exceed the most (" + std::to_string(approval_max) + ")"}});
    }
    std::vector<int64_t> screeners;
    for (const auto& email : form.screeners) {
      ASSIGN_OR_RETURN(auto u, tx.QueryOne("SELECT u.id FROM users u JOIN memberships m ON "
                                           "m.user_id = u.id AND m.programme_id = :p AND "
                                           "m.status = 'active' WHERE u.email = :e",
                                           {programme_id, internal::Trim(email)}));
      if (!u) {
        return Error::InvalidArgument(
            "Check the screening panel",
            {{"screeners", internal::Trim(email) + " is not an active member of this programme"}});
      }
      screeners.push_back(u->Int(0));
    }
    ASSIGN_OR_RETURN(round_id,
                     tx.Insert("INSERT INTO pb_rounds (programme_id, title, budget_pence, phase, "
                               "rule, ballot_type, approval_min, approval_max, points, "
                               "constitution_version, proposals_close, voting_opens, "
                               "voting_closes, created_by, created_at) VALUES (:p, :t, :b, "
                               "'proposals', :r, :bt, :mn, :mx, :pt, :cv, :pc, :vo, :vc, :u, :n) "
                               "RETURNING id",
                               {programme_id, internal::Trim(form.title), form.budget_pence,
                                RuleName(c->rules.pb_rule),
                                std::string(ToString(c->rules.ballot_type)), approval_min,
                                approval_max, points, c->version, form.proposals_close,
                                form.panel_decides ? form.proposals_close : form.voting_opens,
                                form.panel_decides ? form.proposals_close : form.voting_closes,
                                actor->user_id, now}));
    for (const auto& s : form.splits) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_round_splits (round_id, kind, name, amount_pence) "
                              "VALUES (:r, :k, :n, :a)",
                              {round_id, s.kind, internal::Trim(s.name), s.amount_pence})
                          .status());
    }
    for (int64_t u : screeners) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_screeners (round_id, user_id) VALUES (:r, :u) "
                              "ON CONFLICT DO NOTHING",
                              {round_id, u})
                          .status());
    }
    if (form.screening_forum_id) {
      RETURN_IF_ERROR(pb_store::AttachScreeningForum(tx, actor, programme_id, round_id,
                                                     *form.screening_forum_id,
                                                     form.panel_decides, now));
    }
    return internal::Audit(tx, now, actor, programme_id, "pb.round.open",
                           "pb_round:" + std::to_string(round_id),
                           {{"title", internal::Trim(form.title)},
                            {"budget_pence", form.budget_pence},
                            {"rule", RuleName(c->rules.pb_rule)},
                            {"ballot_type", ToString(c->rules.ballot_type)},
                            {"approval_min", approval_min},
                            {"approval_max", approval_max},
                            {"points", points},
                            {"splits", form.splits.size()},
                            {"constitution_version", c->version},
                            {"screening_panel_size", screeners.size()}});
  }));
  return Get(round_id);
}

Result<PbRound> PbRounds::Get(int64_t round_id) {
  PbRound out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, pb_store::LoadRound(tx, round_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<PbRound>> PbRounds::ListForProgramme(int64_t programme_id) {
  std::vector<PbRound> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM pb_rounds WHERE programme_id = :p "
                                         "ORDER BY id DESC",
                                         {programme_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(auto round, pb_store::LoadRound(tx, r.Int(0)));
      out.push_back(std::move(round));
    }
    return Status::Ok();
  }));
  return out;
}

bool PbRounds::CanRun(const Actor* actor, const PbRound& round) {
  return pb_permissions::CanRunRounds(actor, round.public_body_id, round.programme_id);
}

}  // namespace communitise::app
