#include "store.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "../common/util.h"

namespace communitise::app {

std::string_view ToString(PbPhase v) {
  switch (v) {
    case PbPhase::kProposals: return "proposals";
    case PbPhase::kScreening: return "screening";
    case PbPhase::kVoting: return "voting";
    case PbPhase::kResults: return "results";
    case PbPhase::kDelivery: return "delivery";
  }
  return "proposals";
}

std::optional<PbPhase> ParsePbPhase(std::string_view text) {
  for (auto v : {PbPhase::kProposals, PbPhase::kScreening, PbPhase::kVoting, PbPhase::kResults,
                 PbPhase::kDelivery}) {
    if (ToString(v) == text) return v;
  }
  return std::nullopt;
}

std::string_view Label(PbPhase v) {
  switch (v) {
    case PbPhase::kProposals: return "Proposals and bids";
    case PbPhase::kScreening: return "Screening";
    case PbPhase::kVoting: return "Voting";
    case PbPhase::kResults: return "Results";
    case PbPhase::kDelivery: return "Delivery";
  }
  return "";
}

std::string_view ToString(PbProjectStatus v) {
  switch (v) {
    case PbProjectStatus::kDraft: return "draft";
    case PbProjectStatus::kSubmitted: return "submitted";
    case PbProjectStatus::kEligible: return "eligible";
    case PbProjectStatus::kIneligible: return "ineligible";
    case PbProjectStatus::kAccepted: return "accepted";
    case PbProjectStatus::kRejected: return "rejected";
    case PbProjectStatus::kWithdrawn: return "withdrawn";
  }
  return "draft";
}

std::string_view Label(PbProjectStatus v) {
  switch (v) {
    case PbProjectStatus::kDraft: return "Draft";
    case PbProjectStatus::kSubmitted: return "Submitted";
    case PbProjectStatus::kEligible: return "Eligible, awaiting the panel";
    case PbProjectStatus::kIneligible: return "Not eligible";
    case PbProjectStatus::kAccepted: return "On the ballot";
    case PbProjectStatus::kRejected: return "Not put to the ballot";
    case PbProjectStatus::kWithdrawn: return "Withdrawn";
  }
  return "";
}

namespace pb_store {
namespace {

constexpr std::string_view kRoundColumns =
    "SELECT r.id, r.programme_id, p.public_body_id, p.name, p.slug, r.title, r.budget_pence, "
    "r.phase, r.rule, r.ballot_type, r.approval_min, r.approval_max, r.points, "
    "r.constitution_version, r.proposals_close, r.voting_opens, r.voting_closes, "
    "r.published_at, r.created_at FROM pb_rounds r JOIN programmes p ON p.id = r.programme_id "
    "WHERE r.id = :id";

constexpr std::string_view kProjectColumns =
    "SELECT j.id, j.round_id, j.kind, j.proposer_id, u.display_name, j.org_name, j.org_number, "
    "j.title, j.summary, j.area, j.theme, j.outcomes, j.cost_pence, j.requested_pence, "
    "j.cost_reason, j.status, j.check_note, j.screening_reason, j.votes, j.funded, j.story, "
    "j.created_at, j.updated_at FROM pb_projects j JOIN users u ON u.id = j.proposer_id ";

PbProjectStatus ParseStatus(std::string_view s) {
  for (auto v : {PbProjectStatus::kDraft, PbProjectStatus::kSubmitted, PbProjectStatus::kEligible,
                 PbProjectStatus::kIneligible, PbProjectStatus::kAccepted,
                 PbProjectStatus::kRejected, PbProjectStatus::kWithdrawn}) {
    if (ToString(v) == s) return v;
  }
  return PbProjectStatus::kDraft;
}

PbProject ProjectFromRow(const storage::Row& r) {
  PbProject p;
  p.id = r.Int(0);
  p.round_id = r.Int(1);
  p.kind = r.Text(2);
  p.proposer_id = r.Int(3);
  p.proposer_name = r.Text(4);
  p.org_name = r.Text(5);
  p.org_number = r.Text(6);
  p.title = r.Text(7);
  p.summary = r.Text(8);
  p.area = r.Text(9);
  p.theme = r.Text(10);
  p.outcomes = r.Text(11);
  p.cost_pence = r.Int(12);
  p.requested_pence = r.Int(13);
  p.cost_reason = r.Text(14);
  p.status = ParseStatus(r.Text(15));
  p.check_note = r.Text(16);
  p.screening_reason = r.Text(17);
  p.votes = r.OptInt(18);
  if (auto f = r.OptInt(19)) p.funded = *f != 0;
  p.story = r.Text(20);
  p.created_at = r.Int(21);
  p.updated_at = r.Int(22);
  return p;
}

}  // namespace

Result<PbRound> LoadRound(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kRoundColumns, {round_id}));
  if (!row) return Error::NotFound("No such participatory budgeting round");
  const storage::Row& r = *row;
  PbRound out;
  out.id = r.Int(0);
  out.programme_id = r.Int(1);
  out.public_body_id = r.Int(2);
  out.programme_name = r.Text(3);
  out.programme_slug = r.Text(4);
  out.title = r.Text(5);
  out.budget_pence = r.Int(6);
  out.phase = ParsePbPhase(r.Text(7)).value_or(PbPhase::kProposals);
  out.rule = r.Text(8);
  out.ballot_type = r.Text(9);
  out.approval_min = static_cast<int>(r.Int(10));
  out.approval_max = static_cast<int>(r.Int(11));
  out.points = static_cast<int>(r.Int(12));
  out.constitution_version = static_cast<int>(r.Int(13));
  out.proposals_close = r.Int(14);
  out.voting_opens = r.Int(15);
  out.voting_closes = r.Int(16);
  out.published_at = r.OptInt(17);
  out.created_at = r.Int(18);
  ASSIGN_OR_RETURN(auto splits, tx.Query("SELECT kind, name, amount_pence FROM pb_round_splits "
                                         "WHERE round_id = :r ORDER BY kind, name",
                                         {round_id}));
  for (const auto& s : splits) out.splits.push_back({s.Text(0), s.Text(1), s.Int(2)});
  ASSIGN_OR_RETURN(auto screeners, tx.Query("SELECT user_id FROM pb_screeners WHERE round_id = :r "
                                            "ORDER BY user_id",
                                            {round_id}));
  for (const auto& s : screeners) out.screeners.push_back(s.Int(0));
  ASSIGN_OR_RETURN(auto count,
                   tx.QueryOne("SELECT COUNT(*) FROM pb_ballots b LEFT JOIN pb_paper_batches k "
                               "ON k.id = b.batch_id WHERE b.round_id = :r AND "
                               "(b.batch_id IS NULL OR k.status = 'confirmed')",
                               {round_id}));
  out.ballots = count ? count->Int(0) : 0;
  RETURN_IF_ERROR(LoadScreeningForum(tx, out));
  return out;
}

Result<bool> DeclaredConflict(storage::Tx& tx, int64_t project_id, int64_t user_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM pb_conflicts WHERE project_id = :p AND "
                                         "user_id = :u",
                                         {project_id, user_id}));
  return row.has_value();
}

Result<PbProject> LoadProject(storage::Tx& tx, int64_t project_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kProjectColumns) + "WHERE j.id = :id",
                                         {project_id}));
  if (!row) return Error::NotFound("No such project");
  PbProject p = ProjectFromRow(*row);
  ASSIGN_OR_RETURN(auto files, tx.Query("SELECT id, filename, content_type, size_bytes FROM "
                                        "pb_attachments WHERE project_id = :p ORDER BY id",
                                        {project_id}));
  for (const auto& f : files) p.attachments.push_back({f.Int(0), f.Text(1), f.Text(2), f.Int(3)});
  return p;
}

Result<std::vector<PbProject>> LoadProjects(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kProjectColumns) +
                                           "WHERE j.round_id = :r ORDER BY j.id",
                                       {round_id}));
  std::vector<PbProject> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ProjectFromRow(r));
  return out;
}

Result<bool> IsActiveMember(storage::Tx& tx, int64_t programme_id, int64_t user_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM memberships WHERE programme_id = :p AND "
                                         "user_id = :u AND status = 'active'",
                                         {programme_id, user_id}));
  return row.has_value();
}

std::string EncodeChoices(const CastBallotForm& form) {
  std::string out;
  for (size_t i = 0; i < form.choices.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(form.choices[i]);
    if (i < form.points.size()) out += ':' + std::to_string(form.points[i]);
  }
  return out;
}

CastBallotForm DecodeChoices(std::string_view text) {
  CastBallotForm out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    size_t colon = item.find(':');
    int64_t id = 0, points = 0;
    auto idpart = item.substr(0, colon);
    if (std::from_chars(idpart.data(), idpart.data() + idpart.size(), id).ec != std::errc()) {
      return {};
    }
    out.choices.push_back(id);
    if (colon != std::string_view::npos) {
      auto pp = item.substr(colon + 1);
      if (std::from_chars(pp.data(), pp.data() + pp.size(), points).ec != std::errc()) return {};
      out.points.push_back(points);
    }
    pos = comma + 1;
  }
  return out;
}

std::vector<Part> Parts(const PbRound& round) {
  if (round.splits.empty()) return {Part{"", "", round.budget_pence}};
  std::vector<Part> out;
  int64_t total = 0;
  for (const auto& s : round.splits) {
    out.push_back({s.kind, s.name, s.amount_pence});
    total += s.amount_pence;
  }
  if (total < round.budget_pence) {
    out.push_back({"whole", std::string(kRestOfFund), round.budget_pence - total});
  }
  return out;
}

namespace {
std::string Folded(std::string_view text) {
  std::string out = internal::Trim(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

int PartOf(const PbRound& round, const std::vector<Part>& parts, std::string_view area,
           std::string_view theme) {
  if (round.splits.empty()) return 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    if (p.kind == "whole") continue;
    const std::string_view value = p.kind == "theme" ? theme : area;
    if (Folded(value) == Folded(p.name)) return static_cast<int>(i);
  }
  if (!parts.empty() && parts.back().kind == "whole") return static_cast<int>(parts.size()) - 1;
  return -1;
}

Result<BallotPaper> LoadBallotPaper(storage::Tx& tx, const PbRound& round) {
  BallotPaper out;
  out.parts = Parts(round);
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, cost_pence, area, theme FROM pb_projects "
                                       "WHERE round_id = :r AND status = 'accepted'",
                                       {round.id}));
  for (const auto& r : rows) {
    out.costs[r.Int(0)] = r.Int(1);
    out.part_of[r.Int(0)] = PartOf(round, out.parts, r.Text(2), r.Text(3));
  }
  return out;
}

Status ValidateBallot(const PbRound& round, const BallotPaper& paper, const CastBallotForm& form) {
  const std::map<int64_t, int64_t>& costs = paper.costs;
  auto fail = [](std::string message) {
    return Error::InvalidArgument(message, {{"choices", message}});
  };
  std::set<int64_t> seen;
  for (int64_t id : form.choices) {
    if (!costs.count(id)) return fail("Your ballot lists a project that is not on the ballot paper");
    if (!seen.insert(id).second) return fail("Your ballot lists the same project twice");
  }
  const int64_t n = static_cast<int64_t>(form.choices.size());
  const std::string& type = round.ballot_type;
  if (type == "approval" || type == "ranking") {
    const std::string verb = type == "approval" ? "Choose" : "Rank";
    if (n < std::max(1, round.approval_min)) {
      return fail(verb + " at least " + std::to_string(std::max(1, round.approval_min)) +
                  (std::max(1, round.approval_min) == 1 ? " project" : " projects"));
    }
    if (round.approval_max > 0 && n > round.approval_max) {
      return fail(verb + " at most " + std::to_string(round.approval_max) +
                  (round.approval_max == 1 ? " project" : " projects") + " — you chose " +
                  std::to_string(n));
    }
  } else if (type == "knapsack") {
    if (n == 0) return fail("Choose at least one project");
    std::vector<int64_t> totals(paper.parts.size(), 0);
    for (int64_t id : form.choices) {
      const int part = paper.part_of.at(id);
      if (part >= 0) totals[part] += costs.at(id);
    }
    for (size_t i = 0; i < totals.size(); ++i) {
      const Part& part = paper.parts[i];
      if (totals[i] <= part.budget_pence) continue;
      const std::string where = part.name.empty() ? "" : " in " + part.name;
      return fail("Your projects" + where + " cost " + FormatPounds(totals[i]) +
                  " in total, more than the budget of " + FormatPounds(part.budget_pence) +
                  ". Remove projects until they fit.");
    }
  } else if (type == "cumulative") {
    if (form.points.size() != form.choices.size()) {
      return Error::InvalidArgument("Give points to each project you choose",
                                    {{"points", "Give points to each project you choose"}});
    }
    int64_t total = 0;
    for (int64_t p : form.points) {
      if (p < 1) {
        return Error::InvalidArgument("Points must be whole numbers of 1 or more",
                                      {{"points", "Points must be whole numbers of 1 or more"}});
      }
      total += p;
    }
    if (n == 0) return fail("Give your points to at least one project");
    if (total > round.points) {
      std::string m = "You gave " + std::to_string(total) + " points; you have " +
                      std::to_string(round.points) + " to share out";
      return Error::InvalidArgument(m, {{"points", m}});
    }
  }
  return Status::Ok();
}

pb::Election BuildElection(const PbRound& whole, const Part& part,
                           const std::vector<PbProject>& accepted,
                           const std::vector<CastBallotForm>& ballots) {
  PbRound round = whole;
  round.budget_pence = part.budget_pence;
  if (!whole.splits.empty()) round.approval_min = 1;
  pb::Election e;
  e.cost_decimals = 2;
  e.budget = round.budget_pence;
  e.vote_type = round.ballot_type == "cumulative" ? pb::VoteType::kCumulative
                : round.ballot_type == "ranking"  ? pb::VoteType::kOrdinal
                                                  : pb::VoteType::kApproval;
  const std::string rule = round.rule == "equal_shares" ? "equalshares"
                           : round.rule == "phragmen"   ? "phragmen"
                                                        : "greedy";
  const std::string part_suffix = part.name.empty() ? "" : " — " + part.name;
  e.meta = {{"description", round.programme_name + ": " + round.title + part_suffix},
            {"country", "United Kingdom"},
            {"unit", round.programme_name}};
  if (!part.name.empty()) e.meta.push_back({"subunit", part.name});
  e.meta.insert(e.meta.end(),
           {{"instance", std::to_string(round.id)},
            {"num_projects", std::to_string(accepted.size())},
            {"num_votes", ""},
            {"budget", ""},
            {"vote_type", std::string(pb::VoteTypeName(e.vote_type))},
            {"rule", rule},
            {"currency", "GBP"}});
  // The budget cell is written from the typed field; keep META's text in step with it.
  for (auto& [k, v] : e.meta) {
    if (k == "budget") v = e.FormatMoney(e.budget);
  }
  if (round.ballot_type == "approval" || round.ballot_type == "ranking") {
    e.meta.push_back({"min_length", std::to_string(std::max(1, round.approval_min))});
    if (round.approval_max > 0) e.meta.push_back({"max_length", std::to_string(round.approval_max)});
  } else if (round.ballot_type == "knapsack") {
    e.meta.push_back({"max_sum_cost", e.FormatMoney(round.budget_pence)});
  } else if (round.ballot_type == "cumulative") {
    e.meta.push_back({"max_sum_points", std::to_string(round.points)});
  }
  e.project_columns = {"project_id", "cost", "name"};
  std::map<int64_t, int32_t> index;
  for (const auto& p : accepted) {
    pb::Project pr;
    pr.id = std::to_string(p.id);
    pr.cost = p.cost_pence;
    pr.cells = {"", "", p.title};
    index[p.id] = static_cast<int32_t>(e.projects.size());
    e.projects.push_back(std::move(pr));
  }
  const bool points = e.HasPoints();
  e.voter_columns = points ? std::vector<std::string>{"voter_id", "vote", "points"}
                           : std::vector<std::string>{"voter_id", "vote"};
  e.voters.reserve(ballots.size());
  int64_t n = 0;
  for (const auto& b : ballots) {
    pb::Voter v;
    for (size_t i = 0; i < b.choices.size(); ++i) {
      auto it = index.find(b.choices[i]);
      if (it == index.end()) continue;
      v.vote.push_back(it->second);
      if (points) v.points.push_back(i < b.points.size() ? b.points[i] : 0);
    }
    if (v.vote.empty()) continue;  // chose nothing in this part
    v.id = std::to_string(++n);
    v.cells.assign(e.voter_columns.size(), "");
    e.voters.push_back(std::move(v));
  }
  for (auto& [k, value] : e.meta) {
    if (k == "num_votes") value = std::to_string(e.voters.size());
  }
  return e;
}

std::string FormatPounds(int64_t pence) {
  std::string pounds = std::to_string(pence / 100);
  std::string grouped;
  for (size_t i = 0; i < pounds.size(); ++i) {
    if (i && (pounds.size() - i) % 3 == 0) grouped += ',';
    grouped += pounds[i];
  }
  int64_t p = pence % 100;
  std::string out = "£" + grouped;
  if (p) out += "." + std::string(p < 10 ? "0" : "") + std::to_string(p);
  return out;
}

}  // namespace pb_store
}  // namespace communitise::app
