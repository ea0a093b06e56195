#include "permissions.h"

namespace communitise::app::memberships_permissions {

bool CanJoin(const Actor* actor) { return actor && actor->user_id != 0; }

bool CanDecideApplications(const Actor* actor, int64_t public_body_id, int64_t programme_id) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(Role::kOfficer, public_body_id, programme_id) ||
         actor->Has(Role::kAdmin, public_body_id, programme_id) ||
         actor->Has(Role::kFacilitator, public_body_id, programme_id);
}

bool CanSeeMembers(const Actor* actor, int64_t public_body_id, int64_t programme_id) {
  return CanDecideApplications(actor, public_body_id, programme_id);
}

}  // namespace communitise::app::memberships_permissions
