#include "permissions.h"

namespace communitise::app::public_bodies_permissions {

bool CanCreatePublicBody(const Actor* actor) { return actor && actor->site_admin; }

bool CanImportAreas(const Actor* actor, int64_t public_body_id) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(Role::kAdmin, public_body_id) ||
         actor->Has(Role::kOfficer, public_body_id);
}

}  // namespace communitise::app::public_bodies_permissions
