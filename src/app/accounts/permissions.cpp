#include "permissions.h"

namespace communitise::app::accounts_permissions {

bool CanCreateUsers(const Actor* actor) { return actor && actor->site_admin; }

bool CanGrantRole(const Actor* actor, int64_t public_body_id) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(Role::kAdmin, public_body_id);
}

bool CanSeeEmail(const Actor* actor, int64_t user_id, const std::vector<int64_t>& their_bodies) {
  if (!actor) return false;
  if (actor->site_admin || (actor->user_id != 0 && actor->user_id == user_id)) return true;
  for (int64_t body : their_bodies) {
    if (actor->Has(Role::kAdmin, body) || actor->Has(Role::kOfficer, body)) return true;
  }
  return false;
}

}  // namespace communitise::app::accounts_permissions
