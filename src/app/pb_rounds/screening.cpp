// Use cases: officers check eligibility and cost; the screening panel accepts projects
// to the ballot or not, with public reasons; anyone declares a conflict of interest.
#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

Result<PbProject> PbRounds::Check(const Actor* actor, int64_t project_id, const CheckForm& form) {
  std::vector<FieldError> errors;
  const std::string note = internal::Trim(form.note);
  const std::string cost_reason = internal::Trim(form.cost_reason);
  if (!form.eligible && note.empty()) {
    errors.push_back({"note", "Say why the project is not eligible or not feasible"});
  }
  internal::CheckLength(errors, "note", "a note", note, 0, 2000);
  if (form.cost_pence) {
    if (*form.cost_pence <= 0) errors.push_back({"cost_pence", "Enter the adjusted cost"});
    if (cost_reason.empty()) {
      errors.push_back({"cost_reason", "Give the reason for adjusting the cost"});
    }
  }
  internal::CheckLength(errors, "cost_reason", "the reason", cost_reason, 0, 1000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (!CanRun(actor, round)) return Error::Forbidden("Only officers check eligibility");
    if (round.phase != PbPhase::kScreening) return Error::Conflict("The round is not in screening");
    if (p.status != PbProjectStatus::kSubmitted && p.status != PbProjectStatus::kEligible &&
        p.status != PbProjectStatus::kIneligible) {
      return Error::Conflict("This project is not waiting for a check");
    }
    const int64_t cost = form.cost_pence.value_or(p.cost_pence);
    if (cost > round.budget_pence) {
      return Error::InvalidArgument("Check the cost", {{"cost_pence", "More than the whole fund"}});
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET status = :s, check_note = :n, cost_pence = :c, "
                            "cost_reason = :cr, updated_at = :t WHERE id = :id",
                            {form.eligible ? "eligible" : "ineligible", note, cost,
                             form.cost_pence ? cost_reason : p.cost_reason, now, project_id})
                        .status());
    nlohmann::json details = {{"eligible", form.eligible}, {"note", note}};
    if (form.cost_pence) {
      details["cost_from_pence"] = p.cost_pence;
      details["cost_to_pence"] = cost;
      details["cost_reason"] = cost_reason;
    }
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.check",
                           "pb_project:" + std::to_string(project_id), details);
  }));
  return GetProject(actor, project_id);
}

Result<PbProject> PbRounds::Screen(const Actor* actor, int64_t project_id, const ScreenForm& form) {
  std::vector<FieldError> errors;
  const bool accept = form.decision == "accept";
  if (!accept && form.decision != "reject") {
    errors.push_back({"decision", "Choose whether the project goes to the ballot"});
  }
  const std::string reason = internal::Trim(form.reason);
  internal::CheckLength(errors, "reason", "the reason for the decision", reason, 1, 2000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    ASSIGN_OR_RETURN(bool conflict, pb_store::DeclaredConflict(tx, project_id, actor->user_id));
    std::string why;
    if (!pb_permissions::CanScreen(actor, round.screeners, p.proposer_id, conflict, &why)) {
      return Error::Forbidden(why);
    }
    if (round.phase != PbPhase::kScreening) return Error::Conflict("The round is not in screening");
    if (round.panel_decides) {
      return Error::Conflict("In this round the panel decides funding: fund the bid or not");
    }
    if (p.status == PbProjectStatus::kSubmitted) {
      return Error::Conflict("An officer must check this project's eligibility first");
    }
    if (p.status != PbProjectStatus::kEligible && p.status != PbProjectStatus::kIneligible) {
      return Error::Conflict("This project has already been decided");
    }
    if (accept && p.status == PbProjectStatus::kIneligible) {
      return Error::Conflict("A project found not eligible cannot go to the ballot");
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET status = :s, screening_reason = :r, "
                            "updated_at = :t WHERE id = :id",
                            {accept ? "accepted" : "rejected", reason, now, project_id})
                        .status());
    return internal::Audit(tx, now, actor, round.programme_id,
                           accept ? "pb.project.accept" : "pb.project.reject",
                           "pb_project:" + std::to_string(project_id), {{"reason", reason}});
  }));
  return GetProject(actor, project_id);
}

Status PbRounds::DeclareConflict(const Actor* actor, int64_t project_id,
                                 std::string_view declaration) {
  const std::string text = internal::Trim(declaration);
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "declaration", "the interest you declare", text, 1, 1000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_conflicts (project_id, user_id, declaration, at) "
                            "VALUES (:p, :u, :d, :t) ON CONFLICT DO NOTHING",
                            {project_id, actor->user_id, text, now})
                        .status());
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.conflict",
                           "pb_project:" + std::to_string(project_id));
  });
}

}  // namespace communitise::app
