// Use cases: at the close, the outcome is computed by the constitution's rule through
// the PB engine and published; the anonymised ballots are exported in pabulib format.
#include <chrono>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "communitise/pb/margins.h"
#include "communitise/pb/rules.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {

struct Computed {
  PbRound round;
  PbResults results;
};

// The accepted projects of each part (by PartOf), and of none (legacy data).
struct PartProjects {
  std::vector<pb_store::Part> parts;
  std::vector<std::vector<PbProject>> projects;  // per part
  std::vector<PbProject> in_no_part;
};

Result<PartProjects> AcceptedByPart(storage::Tx& tx, const PbRound& round) {
  PartProjects out;
  out.parts = pb_store::Parts(round);
  out.projects.resize(out.parts.size());
  ASSIGN_OR_RETURN(auto all, pb_store::LoadProjects(tx, round.id));
  for (auto& p : all) {
    if (p.status != PbProjectStatus::kAccepted) continue;
    const int part = pb_store::PartOf(round, out.parts, p.area, p.theme);
    (part >= 0 ? out.projects[part] : out.in_no_part).push_back(std::move(p));
  }
  return out;
}

// Counted ballots (online, and paper from confirmed batches) in ballot_key order: an
// order that says nothing about who voted or when.
Result<std::vector<CastBallotForm>> CountedBallots(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT b.choices FROM pb_ballots b LEFT JOIN "
                                       "pb_paper_batches k ON k.id = b.batch_id WHERE "
                                       "b.round_id = :r AND (b.batch_id IS NULL OR "
                                       "k.status = 'confirmed') ORDER BY b.ballot_key",
                                       {round_id}));
  std::vector<CastBallotForm> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(pb_store::DecodeChoices(r.Text(0)));
  return out;
}

pb::Utility UtilityFor(const PbRound& round) {
  return round.ballot_type == "cumulative" ? pb::Utility::kPoints : pb::Utility::kCost;
}

Result<pb::Outcome> RunRule(const PbRound& round, const pb::Election& e) {
  if (round.rule == "equal_shares") {
    return pb::EqualShares(e, UtilityFor(round), pb::Completion::kAdd1, /*max_runs=*/20000);
  }
  if (round.rule == "phragmen") return pb::SequentialPhragmen(e);
  return pb::Greedy(e, pb::GreedyOptions{});
}

// "It needed 4 more supporters, or its cost cut by £1,200, to be funded."
std::string MarginText(const pb::ProjectMargin& m) {
  std::vector<std::string> parts;
  if (m.extra_supporters) {
    parts.push_back((m.extra_supporters_exact ? "" : "at most ") +
                    std::to_string(*m.extra_supporters) + " more supporter" +
                    (*m.extra_supporters == 1 ? "" : "s"));
  }
  if (m.cost_reduction) {
    parts.push_back("its cost cut by " + std::string(m.cost_reduction_exact ? "" : "at most ") +
                    pb_store::FormatPounds(*m.cost_reduction));
  }
  if (parts.empty()) return "";
  std::string text = "It would have been funded with " + parts[0];
  if (parts.size() > 1) text += ", or with " + parts[1];
  return text + ".";
}

// Decides one part of the fund: its own budget, projects and voters, through the
// engine. Appends to `out` the part and a result per project.
Status DecidePart(const PbRound& round, const pb_store::Part& part, int index,
                  const std::vector<PbProject>& projects,
                  const std::vector<CastBallotForm>& ballots, bool margins, PbResults& out) {
  const pb::Election election = pb_store::BuildElection(round, part, projects, ballots);
  PbPartResult pr{part.kind, part.name, part.budget_pence, 0,
                  static_cast<int64_t>(election.voters.size())};
  if (projects.empty()) {
    out.parts.push_back(pr);
    return Status::Ok();
  }
  if (election.voters.empty()) {
    // No engine run on an empty electorate; nothing is funded.
    for (const auto& p : projects) {
      out.projects.push_back({p.id, p.title, p.cost_pence, 0, false,
                              "Not funded: no ballot chose a project in this part", index});
    }
    out.parts.push_back(pr);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(pb::Outcome outcome, RunRule(round, election));
  if (out.rule.empty()) out.rule = outcome.rule;
  const std::vector<int64_t> votes = pb::CountVotes(election);
  std::map<int, std::string> margin_text;
  // MES margins re-run the whole rule (with its completion) per trial; on a large round
  // that takes minutes, so they are left to the published pabulib file and the
  // engine's `pb margins` command there. The engine's own story still says how close
  // each project came. Greedy margins are exact and cheap at any size.
  const bool cheap_margins =
      round.rule == "greedy" || election.voters.size() * election.projects.size() <= 200000;
  if (margins && round.rule != "phragmen" && cheap_margins) {
    pb::MarginRule mr;
    if (round.rule == "equal_shares") {
      mr.kind = pb::MarginRule::Kind::kMes;
      mr.utility = UtilityFor(round);
      mr.completion = pb::Completion::kAdd1;
    }
    ASSIGN_OR_RETURN(auto ms, pb::ComputeMargins(election, mr, /*max_linear_runs=*/4));
    for (const auto& m : ms) margin_text[m.project] = MarginText(m);
  }
  pr.spent_pence = outcome.total_cost;
  for (size_t i = 0; i < projects.size(); ++i) {
    PbProjectResult r;
    r.project_id = projects[i].id;
    r.title = projects[i].title;
    r.cost_pence = projects[i].cost_pence;
    r.votes = votes[i];
    r.funded = outcome.stories[i].selected;
    r.story = outcome.stories[i].detail;
    if (auto it = margin_text.find(static_cast<int>(i)); it != margin_text.end() && !it->second.empty()) {
      r.story += ". " + it->second;
    }
    r.part = index;
    out.projects.push_back(std::move(r));
  }
  out.parts.push_back(pr);
  return Status::Ok();
}

Result<Computed> Compute(storage::Tx& tx, int64_t round_id, bool margins) {
  Computed c;
  ASSIGN_OR_RETURN(c.round, pb_store::LoadRound(tx, round_id));
  ASSIGN_OR_RETURN(PartProjects by_part, AcceptedByPart(tx, c.round));
  ASSIGN_OR_RETURN(auto ballots, CountedBallots(tx, round_id));
  const auto start = std::chrono::steady_clock::now();
  PbResults& results = c.results;
  results.round_id = round_id;
  results.budget_pence = c.round.budget_pence;
  results.ballots = static_cast<int64_t>(ballots.size());
  for (size_t i = 0; i < by_part.parts.size(); ++i) {
    RETURN_IF_ERROR(DecidePart(c.round, by_part.parts[i], static_cast<int>(i),
                               by_part.projects[i], ballots, margins, results));
    results.spent_pence += results.parts.back().spent_pence;
  }
  for (const auto& p : by_part.in_no_part) {
    results.projects.push_back({p.id, p.title, p.cost_pence, 0, false,
                                "Not funded: its " + c.round.splits.front().kind +
                                    " is in no part of the split fund",
                                -1});
  }
  if (results.rule.empty()) {
    results.rule = c.round.rule == "equal_shares" ? "mes/cost/add1" : c.round.rule;
  }
  std::stable_sort(results.projects.begin(), results.projects.end(),
                   [](const PbProjectResult& a, const PbProjectResult& b) { return a.votes > b.votes; });
  results.compute_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return c;
}

nlohmann::json ResultsToJson(const PbResults& r) {
  nlohmann::json projects = nlohmann::json::array();
  for (const auto& p : r.projects) {
    projects.push_back({{"project_id", p.project_id}, {"title", p.title},
                        {"cost_pence", p.cost_pence}, {"votes", p.votes},
                        {"funded", p.funded}, {"story", p.story}, {"part", p.part}});
  }
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : r.parts) {
    parts.push_back({{"kind", p.kind}, {"name", p.name}, {"budget_pence", p.budget_pence},
                     {"spent_pence", p.spent_pence}, {"voters", p.voters}});
  }
  return {{"rule", r.rule}, {"budget_pence", r.budget_pence}, {"spent_pence", r.spent_pence},
          {"ballots", r.ballots}, {"published_at", r.published_at}, {"parts", parts},
          {"projects", projects}};
}

}  // namespace

Result<PbResults> PbRounds::ComputeAndStore(const Actor* actor, int64_t round_id, storage::Tx& tx) {
  const int64_t now = clock_.NowSeconds();
  ASSIGN_OR_RETURN(Computed c, Compute(tx, round_id, /*margins=*/true));
  c.results.published_at = now;
  for (const auto& p : c.results.projects) {
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET votes = :v, funded = :f, story = :s WHERE "
                            "id = :id",
                            {p.votes, p.funded ? 1 : 0, p.story, p.project_id})
                        .status());
    if (p.funded) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_awards (round_id, project_id, amount_pence, "
                              "awarded_at, status, updated_at) VALUES (:r, :p, :a, :t, "
                              "'in_progress', :t2)",
                              {round_id, p.project_id, p.cost_pence, now, now})
                          .status());
    }
  }
  RETURN_IF_ERROR(tx.Exec("UPDATE pb_rounds SET results = :j, published_at = :t WHERE id = :id",
                          {ResultsToJson(c.results).dump(), now, round_id})
                      .status());
  std::vector<int64_t> funded;
  for (const auto& p : c.results.projects) {
    if (p.funded) funded.push_back(p.project_id);
  }
  nlohmann::json details = {{"rule", c.results.rule}, {"ballots", c.results.ballots},
                            {"funded", funded}, {"spent_pence", c.results.spent_pence}};
  if (c.results.parts.size() > 1) {
    details["parts"] = nlohmann::json::array();
    for (const auto& part : c.results.parts) {
      details["parts"].push_back({{"name", part.name}, {"budget_pence", part.budget_pence},
                                  {"spent_pence", part.spent_pence}});
    }
  }
  RETURN_IF_ERROR(internal::Audit(tx, now, actor, c.round.programme_id, "pb.results.publish",
                                  "pb_round:" + std::to_string(round_id), details));
  return c.results;
}

Result<PbResults> PbRounds::ComputeResults(int64_t round_id) {
  PbResults out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Computed c, Compute(tx, round_id, /*margins=*/true));
    out = std::move(c.results);
    return Status::Ok();
  }));
  return out;
}

Result<PbResults> PbRounds::Results(int64_t round_id) {
  PbResults out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT results FROM pb_rounds WHERE id = :id",
                                           {round_id}));
    if (!row) return Error::NotFound("No such participatory budgeting round");
    if (row->IsNull(0)) return Error::Conflict("The results of this round are not published yet");
    auto j = nlohmann::json::parse(row->Text(0), nullptr, false);
    if (j.is_discarded()) return Error::Internal("results of round " + std::to_string(round_id));
    out.round_id = round_id;
    out.rule = j.value("rule", "");
    out.budget_pence = j.value("budget_pence", int64_t{0});
    out.spent_pence = j.value("spent_pence", int64_t{0});
    out.ballots = j.value("ballots", int64_t{0});
    out.published_at = j.value("published_at", int64_t{0});
    for (const auto& p : j["projects"]) {
      out.projects.push_back({p.value("project_id", int64_t{0}), p.value("title", ""),
                              p.value("cost_pence", int64_t{0}), p.value("votes", int64_t{0}),
                              p.value("funded", false), p.value("story", ""),
                              p.value("part", 0)});
    }
    if (j.contains("parts")) {
      for (const auto& p : j["parts"]) {
        out.parts.push_back({p.value("kind", ""), p.value("name", ""),
                             p.value("budget_pence", int64_t{0}),
                             p.value("spent_pence", int64_t{0}), p.value("voters", int64_t{0})});
      }
    } else {  // published before funds could be split: one part, the whole fund
      out.parts.push_back({"", "", out.budget_pence, out.spent_pence, out.ballots});
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::string> PbRounds::ExportPabulib(int64_t round_id, std::optional<int> part) {
  std::string out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    if (!round.published_at) return Error::Conflict("The results of this round are not published yet");
    // The same election the rule decided, built without running the rule again.
    ASSIGN_OR_RETURN(PartProjects by_part, AcceptedByPart(tx, round));
    if (!part && by_part.parts.size() > 1) {
      return Error::Conflict("This round's fund is split; each part has its own file");
    }
    const int index = part.value_or(0);
    if (index < 0 || index >= static_cast<int>(by_part.parts.size())) {
      return Error::NotFound("This round has no such part");
    }
    ASSIGN_OR_RETURN(auto ballots, CountedBallots(tx, round_id));
    out = pb::WritePabulib(
        pb_store::BuildElection(round, by_part.parts[index], by_part.projects[index], ballots));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
