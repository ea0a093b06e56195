#include "permissions.h"

#include <algorithm>

namespace communitise::app::pb_permissions {

bool CanRunRounds(const Actor* actor, int64_t public_body_id, int64_t programme_id) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(Role::kOfficer, public_body_id, programme_id) ||
         actor->Has(Role::kAdmin, public_body_id, programme_id);
}

bool CanOpenRounds(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                   RoundOpeners openers) {
  if (CanRunRounds(actor, public_body_id, programme_id)) return true;
  return actor && openers == RoundOpeners::kOfficersAndBoard &&
         actor->Has(Role::kBoardMember, public_body_id, programme_id);
}

bool CanScreen(const Actor* actor, const std::vector<int64_t>& screeners, int64_t proposer_id,
               bool declared_conflict, std::string* why) {
  if (!actor || actor->user_id == 0) {
    *why = "Sign in to screen projects";
    return false;
  }
  if (std::find(screeners.begin(), screeners.end(), actor->user_id) == screeners.end()) {
    *why = "Only members of this round's screening panel can decide projects";
    return false;
  }
  if (actor->user_id == proposer_id) {
    *why = "You cannot screen a project you proposed";
    return false;
  }
  if (declared_conflict) {
    *why = "You declared a conflict of interest on this project, so you cannot decide it";
    return false;
  }
  return true;
}

bool CanDiscuss(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                const std::vector<int64_t>& screeners, int64_t proposer_id,
                bool declared_conflict, std::string* why) {
  if (!actor || actor->user_id == 0) {
    *why = "Sign in to take part in the discussion";
    return false;
  }
  const bool staff = CanRunRounds(actor, public_body_id, programme_id) ||
                     actor->Has(Role::kFacilitator, public_body_id, programme_id);
  if (!staff && std::find(screeners.begin(), screeners.end(), actor->user_id) == screeners.end()) {
    *why = "Only the screening panel, its facilitators and the officers discuss projects";
    return false;
  }
  if (actor->user_id == proposer_id) {
    *why = "You cannot discuss a project you proposed";
    return false;
  }
  if (declared_conflict) {
    *why = "You declared a conflict of interest on this project, so you take no part in it";
    return false;
  }
  return true;
}

bool CanReportDelivery(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                       int64_t proposer_id) {
  if (!actor) return false;
  return CanRunRounds(actor, public_body_id, programme_id) ||
         (actor->user_id != 0 && actor->user_id == proposer_id);
}

}  // namespace communitise::app::pb_permissions
