// Use cases: queue a selection, run it (on the worker thread), read it.
#include <chrono>

#include "../common/util.h"
#include "communitise/app/panels.h"
#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/feasibility.h"
#include "communitise/sortition/legacy.h"
#include "communitise/sortition/leximin.h"
#include "selection_runner.h"
#include "store.h"

namespace communitise::app {
namespace {

using nlohmann::json;

// Draws used to estimate the legacy method's probabilities.
constexpr int kLegacyDraws = 2000;
// Seed of that estimate: fixed, so the published figures can be recomputed.
constexpr uint64_t kLegacyEstimateSeed = 1;

constexpr std::string_view kSelectionColumns =
    "SELECT id, panel_id, status, algorithm, progress, respondent_ids, result, error, seconds, "
    "created_at, finished_at FROM panel_selections";

std::optional<SelectionStatus> ParseStatus(std::string_view s) {
  for (auto v : {SelectionStatus::kQueued, SelectionStatus::kRunning, SelectionStatus::kDone,
                 SelectionStatus::kInfeasible, SelectionStatus::kFailed}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

std::vector<int64_t> IdsFromJson(std::string_view text) {
  std::vector<int64_t> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array()) {
    for (const auto& v : j) {
      if (v.is_number_integer()) out.push_back(v.get<int64_t>());
    }
  }
  return out;
}

Selection FromRow(const storage::Row& r) {
  Selection s;
  s.id = r.Int(0);
  s.panel_id = r.Int(1);
  s.status = ParseStatus(r.Text(2)).value_or(SelectionStatus::kFailed);
  s.algorithm = r.Text(3);
  json p = json::parse(r.Text(4), nullptr, false);
  if (p.is_object()) {
    s.progress = {p.value("stage", 0), p.value("round", 0), p.value("panels", 0),
                  p.value("fixed_types", 0), p.value("types", 0), p.value("value", 0.0)};
  }
  s.respondent_ids = IdsFromJson(r.Text(5));
  json res = json::parse(r.Text(6), nullptr, false);
  if (res.is_object()) {
    s.probabilities = res.value("probabilities", std::vector<double>{});
    s.min_probability = res.value("min_probability", 0.0);
    s.max_probability = res.value("max_probability", 0.0);
    if (res.contains("distribution")) {
      s.distribution_panels = static_cast<int>(res["distribution"].value("panels", json::array()).size());
      s.distribution_json = res["distribution"].dump();
    }
    s.summary = res.value("summary", "");
    s.conflicts = res.value("conflicts", std::vector<std::string>{});
    for (const auto& c : res.value("changes", json::array())) {
      s.changes.push_back({c.value("category", ""), c.value("value", ""), c.value("old_min", 0),
                           c.value("old_max", 0), c.value("new_min", 0), c.value("new_max", 0)});
    }
  }
  s.error = r.Text(7);
  s.seconds = r.Double(8);
  s.created_at = r.Int(9);
  s.finished_at = r.OptInt(10);
  return s;
}

}  // namespace

Result<Selection> Panels::StartSelection(const Actor* actor, int64_t panel_id,
                                         std::string_view algorithm) {
  if (!actor) return Error::Unauthenticated();
  if (algorithm != "leximin" && algorithm != "legacy") {
    return Error::Field("algorithm", "Choose LEXIMIN or the legacy method");
  }
  const int64_t now = clock_.NowSeconds();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.drawn_at) return Error::Conflict("The panel has already been drawn");
    ASSIGN_OR_RETURN(auto busy, tx.QueryOne("SELECT id FROM panel_selections WHERE panel_id = :p "
                                            "AND status IN ('queued', 'running')",
                                            {panel_id}));
    if (busy) return Error::Conflict("A selection is already running for this panel");
    if (p.respondent_count < p.panel_size) {
      return Error::Conflict("Only " + std::to_string(p.respondent_count) +
                             " people have registered; the panel needs " +
                             std::to_string(p.panel_size));
    }
    ASSIGN_OR_RETURN(auto respondents, panels_store::LoadRespondents(tx, panel_id));
    json ids = json::array();
    for (const auto& r : respondents) ids.push_back(r.id);
    ASSIGN_OR_RETURN(id, tx.Insert("INSERT INTO panel_selections (panel_id, status, algorithm, "
                                   "progress, respondent_ids, created_by, created_at) VALUES "
                                   "(:p, 'queued', :a, '{}', :ids, :by, :t) RETURNING id",
                                   {panel_id, std::string(algorithm), ids.dump(), actor->user_id,
                                    now}));
    return internal::Audit(tx, now, actor, p.programme_id, "panel.selection.start",
                           "panel_selection:" + std::to_string(id),
                           {{"panel_id", panel_id},
                            {"algorithm", algorithm},
                            {"respondents", respondents.size()}});
  }));
  runner_->Submit(id);
  return GetSelection(actor, id);
}

void Panels::WaitForSelections() { runner_->WaitIdle(); }

Status Panels::RunSelection(int64_t selection_id) {
  Selection job;
  Panel panel;
  sortition::Problem problem;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelectionColumns) + " WHERE id = :id",
                                           {selection_id}));
    if (!row) return Error::NotFound("No such selection");
    job = FromRow(*row);
    if (job.status != SelectionStatus::kQueued) return Status::Ok();
    ASSIGN_OR_RETURN(panel, panels_store::Load(tx, job.panel_id));
    ASSIGN_OR_RETURN(auto all, panels_store::LoadRespondents(tx, job.panel_id));
    ASSIGN_OR_RETURN(auto invitation_of, panels_store::InvitationsOf(tx, job.panel_id));
    std::map<int64_t, Respondent> by_id;
    for (auto& r : all) by_id[r.id] = std::move(r);
    std::vector<Respondent> pool;
    std::vector<int64_t> invitations;
    for (int64_t id : job.respondent_ids) {
      pool.push_back(by_id.at(id));
      invitations.push_back(invitation_of.at(id));
    }
    ASSIGN_OR_RETURN(problem, panels_store::BuildProblem(panel, pool, invitations));
    return tx.Exec("UPDATE panel_selections SET status = 'running' WHERE id = :id",
                   {selection_id})
        .status();
  }));
  if (job.status != SelectionStatus::kQueued) return Status::Ok();

  const auto started = std::chrono::steady_clock::now();
  auto last_write = started;
  json result = json::object();
  SelectionStatus status = SelectionStatus::kDone;
  std::string error;
  auto lp = sortition::MakeClpSolver();
  auto mip = sortition::MakeCbcSolver();
  if (Status v = sortition::ValidateProblem(problem); !v.ok()) {
    status = SelectionStatus::kFailed;
    error = v.error().public_message;
  } else if (job.algorithm == "legacy") {
    auto estimate = sortition::EstimateLegacy(problem, kLegacyEstimateSeed, kLegacyDraws);
    if (!estimate.ok()) {
      status = SelectionStatus::kFailed;
      error = estimate.error().public_message;
    } else {
      result = {{"probabilities", estimate->probabilities},
                {"min_probability", estimate->min_probability},
                {"max_probability", estimate->max_probability},
                {"legacy_draws", estimate->draws},
                {"legacy_seed", kLegacyEstimateSeed}};
    }
  } else {
    sortition::LeximinOptions options;
    options.progress = [&](const sortition::LeximinProgress& p) {
      // Progress is written at most twice a second: enough for a page that refreshes
      // itself, and cheap next to the LP solves.
      const auto now = std::chrono::steady_clock::now();
      if (now - last_write < std::chrono::milliseconds(500)) return;
      last_write = now;
      json progress{{"stage", p.stage}, {"round", p.round}, {"panels", p.panels},
                    {"fixed_types", p.fixed_types}, {"types", p.types}, {"value", p.value}};
      (void)db_.Transact([&](storage::Tx& tx) -> Status {
        return tx.Exec("UPDATE panel_selections SET progress = :p WHERE id = :id",
                       {progress.dump(), selection_id})
            .status();
      });
    };
    auto leximin = sortition::Leximin(problem, *lp, *mip, options);
    if (leximin.ok()) {
      const auto& d = leximin->distribution;
      result = {{"probabilities", d.probabilities},
                {"min_probability", d.min_probability},
                {"max_probability", d.max_probability},
                {"distribution",
                 {{"types", d.types.members}, {"panels", d.panels}, {"weights", d.weights}}},
                {"stats",
                 {{"stages", leximin->stats.stages},
                  {"rounds", leximin->stats.rounds},
                  {"lp_solves", leximin->stats.lp_solves},
                  {"ip_solves", leximin->stats.ip_solves}}}};
    } else if (leximin.error().code == ErrorCode::kInvalidArgument) {
      auto report = sortition::CheckFeasibility(problem, *mip);
      if (!report.ok()) {
        status = SelectionStatus::kFailed;
        error = report.error().public_message;
      } else {
        status = SelectionStatus::kInfeasible;
        json changes = json::array();
        for (const auto& c : report->changes) {
          changes.push_back({{"category", c.category}, {"value", c.value},
                             {"old_min", c.old_min}, {"old_max", c.old_max},
                             {"new_min", c.new_min}, {"new_max", c.new_max}});
        }
        result = {{"summary", report->summary},
                  {"conflicts", report->conflicts},
                  {"changes", changes},
                  {"relaxable", report->relaxable}};
      }
    } else {
      status = SelectionStatus::kFailed;
      error = leximin.error().public_message;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("UPDATE panel_selections SET status = :s, result = :r, error = :e, "
                            "seconds = :sec, finished_at = :t WHERE id = :id",
                            {std::string(ToString(status)),
                             result.dump(-1, ' ', false, json::error_handler_t::replace), error,
                             seconds, now, selection_id}));
    json details{{"panel_id", panel.id}, {"status", ToString(status)}};
    if (status == SelectionStatus::kDone) {
      details["min_probability"] = result["min_probability"];
      details["max_probability"] = result["max_probability"];
    }
    Actor system = SystemActor();
    return internal::Audit(tx, now, &system, panel.programme_id, "panel.selection.finish",
                           "panel_selection:" + std::to_string(selection_id), details);
  });
}

Result<Selection> Panels::GetSelection(const Actor* actor, int64_t selection_id) {
  Selection out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelectionColumns) + " WHERE id = :id",
                                           {selection_id}));
    if (!row) return Error::NotFound("No such selection");
    out = FromRow(*row);
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, out.panel_id));
    if (!CanSeeDemographics(actor, p)) {
      // Anonymised: probabilities in ascending order, no link to a person.
      out.respondent_ids.clear();
      std::sort(out.probabilities.begin(), out.probabilities.end());
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Selection>> Panels::LatestSelection(const Actor* actor, int64_t panel_id) {
  std::optional<int64_t> id;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MAX(id) FROM panel_selections WHERE "
                                           "panel_id = :p",
                                           {panel_id}));
    if (row && !row->IsNull(0)) id = row->Int(0);
    return Status::Ok();
  }));
  if (!id) return std::optional<Selection>();
  ASSIGN_OR_RETURN(Selection s, GetSelection(actor, *id));
  return std::optional<Selection>(std::move(s));
}

}  // namespace communitise::app
