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
    "created_at, finished_at, attempts, heartbeat_at FROM panel_selections";

// A running job whose heartbeat is older than this belongs to a runner that is gone.
bool Stale(const storage::Row& r, int64_t now) {
  return r.IsNull(12) || now - r.Int(12) > SelectionRunner::kStaleSeconds;
}

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

Selection FromRow(const storage::Row& r, int64_t now) {
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
  s.attempts = static_cast<int>(r.Int(11));
  s.heartbeat_at = r.OptInt(12);
  s.stalled = s.status == SelectionStatus::kRunning && Stale(r, now);
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
  runner_->Wake();
  return GetSelection(actor, id);
}

void Panels::WaitForSelections() { runner_->WaitIdle(); }

void Panels::ResumeSelections() { runner_->Wake(); }

Result<std::vector<int64_t>> Panels::ClaimableSelections() {
  const int64_t now = clock_.NowSeconds();
  std::vector<int64_t> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, status, heartbeat_at FROM panel_selections "
                                         "WHERE status IN ('queued', 'running') ORDER BY id"));
    for (const auto& r : rows) {
      const bool stale = r.IsNull(2) || now - r.Int(2) > SelectionRunner::kStaleSeconds;
      if (r.Text(1) == "queued" || stale) out.push_back(r.Int(0));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Selection> Panels::CancelSelection(const Actor* actor, int64_t selection_id) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelectionColumns) + " WHERE id = :id",
                                           {selection_id}));
    if (!row) return Error::NotFound("No such selection");
    const Selection job = FromRow(*row, now);
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, job.panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (job.status != SelectionStatus::kQueued && job.status != SelectionStatus::kRunning) {
      return Error::Conflict("This selection has already finished");
    }
    ASSIGN_OR_RETURN(int64_t changed,
                     tx.Exec("UPDATE panel_selections SET status = 'failed', error = :e, "
                             "finished_at = :t WHERE id = :id AND status IN ('queued', 'running')",
                             {std::string("Stopped by an organiser"), now, selection_id}));
    if (changed != 1) return Error::Conflict("This selection has already finished");
    return internal::Audit(tx, now, actor, p.programme_id, "panel.selection.cancel",
                           "panel_selection:" + std::to_string(selection_id),
                           {{"panel_id", p.id}, {"was", ToString(job.status)},
                            {"attempts", job.attempts}});
  }));
  return GetSelection(actor, selection_id);
}

Status Panels::RunSelection(int64_t selection_id) {
  Selection job;
  Panel panel;
  sortition::Problem problem;
  bool claimed = false;
  const int64_t claimed_at = clock_.NowSeconds();
  const Actor system = SystemActor();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    claimed = false;
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelectionColumns) + " WHERE id = :id",
                                           {selection_id}));
    if (!row) return Error::NotFound("No such selection");
    job = FromRow(*row, claimed_at);
    const bool resumable = job.status == SelectionStatus::kRunning && Stale(*row, claimed_at);
    if (job.status != SelectionStatus::kQueued && !resumable) return Status::Ok();
    ASSIGN_OR_RETURN(panel, panels_store::Load(tx, job.panel_id));
    const std::string subject = "panel_selection:" + std::to_string(selection_id);
    if (job.attempts >= kMaxSelectionAttempts) {
      // Started that many times and never finished: something about this job stops its
      // runner. Fail it so the organiser can change something and start again.
      const std::string error = "The selection was interrupted " +
                                std::to_string(job.attempts) +
                                " times before it could finish; start it again";
      ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE panel_selections SET status = 'failed', "
                                          "error = :e, finished_at = :t WHERE id = :id AND "
                                          "attempts = :a AND status = :s",
                                          {error, claimed_at, selection_id, job.attempts,
                                           std::string(ToString(job.status))}));
      if (n != 1) return Status::Ok();
      return internal::Audit(tx, claimed_at, &system, panel.programme_id,
                             "panel.selection.finish", subject,
                             {{"panel_id", panel.id}, {"status", "failed"},
                              {"attempts", job.attempts}, {"interrupted", true}});
    }
    // The attempts count is the row's version: of two runners claiming the same job at
    // once, only one changes it.
    ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE panel_selections SET status = 'running', "
                                        "runner = :r, heartbeat_at = :t, attempts = :a2 "
                                        "WHERE id = :id AND attempts = :a AND status = :s",
                                        {runner_->id(), claimed_at, job.attempts + 1,
                                         selection_id, job.attempts,
                                         std::string(ToString(job.status))}));
    if (n != 1) return Status::Ok();
    ASSIGN_OR_RETURN(auto all, panels_store::LoadRespondents(tx, job.panel_id));
    ASSIGN_OR_RETURN(auto invitation_of, panels_store::InvitationsOf(tx, job.panel_id));
    std::map<int64_t, Respondent> by_id;
    for (auto& r : all) by_id[r.id] = std::move(r);
    std::vector<Respondent> pool;
    std::vector<int64_t> invitations;
    for (int64_t id : job.respondent_ids) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        return Error::Internal("respondent " + std::to_string(id) + " of selection " +
                               std::to_string(selection_id) + " is missing");
      }
      pool.push_back(it->second);
      invitations.push_back(invitation_of.at(id));
    }
    auto built = panels_store::BuildProblem(panel, pool, invitations);
    if (!built.ok()) {
      // The registrations no longer fit the quotas (they were changed after the job was
      // queued): the job fails with the reason, rather than being retried for ever.
      if (built.error().code != ErrorCode::kInvalidArgument) return built.error();
      RETURN_IF_ERROR(tx.Exec("UPDATE panel_selections SET status = 'failed', error = :e, "
                              "finished_at = :t WHERE id = :id",
                              {built.error().public_message, claimed_at, selection_id}));
      return internal::Audit(tx, claimed_at, &system, panel.programme_id,
                             "panel.selection.finish", subject,
                             {{"panel_id", panel.id}, {"status", "failed"}});
    }
    problem = std::move(built).value();
    claimed = true;
    return internal::Audit(tx, claimed_at, &system, panel.programme_id, "panel.selection.run",
                           subject,
                           {{"panel_id", panel.id}, {"attempt", job.attempts + 1},
                            {"resumed", resumable}, {"runner", runner_->id()}});
  }));
  if (!claimed) return Status::Ok();
  runner_->BeginJob(selection_id);
  struct EndJob {
    SelectionRunner& r;
    ~EndJob() { r.EndJob(); }
  } end_job{*runner_};

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
        return tx.Exec("UPDATE panel_selections SET progress = :p WHERE id = :id AND "
                       "runner = :r",
                       {progress.dump(), selection_id, runner_->id()})
            .status();
      });
    };
    options.stop = [this] { return runner_->StopRequested(); };
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
  const std::string subject = "panel_selection:" + std::to_string(selection_id);
  if (runner_->StopRequested()) {
    // Stopped half way. When this runner is shutting down, the job goes back to the
    // queue for the next start (the interrupted attempt does not count); when it was
    // taken away (an organiser stopped it), there is nothing to write.
    if (!runner_->ShuttingDown()) return Status::Ok();
    return db_.Transact([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE panel_selections SET status = 'queued', "
                                          "runner = NULL, heartbeat_at = NULL, attempts = "
                                          "attempts - 1 WHERE id = :id AND runner = :r AND "
                                          "status = 'running'",
                                          {selection_id, runner_->id()}));
      if (n != 1) return Status::Ok();
      return internal::Audit(tx, now, &system, panel.programme_id, "panel.selection.requeue",
                             subject, {{"panel_id", panel.id}, {"reason", "server stopping"}});
    });
  }
  return db_.Transact([&](storage::Tx& tx) -> Status {
    // Only while this runner still holds the job: an organiser may have stopped it.
    ASSIGN_OR_RETURN(int64_t n,
                     tx.Exec("UPDATE panel_selections SET status = :s, result = :r, error = :e, "
                             "seconds = :sec, finished_at = :t WHERE id = :id AND runner = :rn "
                             "AND status = 'running'",
                             {std::string(ToString(status)),
                              result.dump(-1, ' ', false, json::error_handler_t::replace), error,
                              seconds, now, selection_id, runner_->id()}));
    if (n != 1) return Status::Ok();
    json details{{"panel_id", panel.id}, {"status", ToString(status)}};
    if (status == SelectionStatus::kDone) {
      details["min_probability"] = result["min_probability"];
      details["max_probability"] = result["max_probability"];
    }
    return internal::Audit(tx, now, &system, panel.programme_id, "panel.selection.finish",
                           subject, details);
  });
}

Result<Selection> Panels::GetSelection(const Actor* actor, int64_t selection_id) {
  Selection out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSelectionColumns) + " WHERE id = :id",
                                           {selection_id}));
    if (!row) return Error::NotFound("No such selection");
    out = FromRow(*row, clock_.NowSeconds());
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
