#include "permissions.h"

namespace communitise::app::panels_permissions {

bool CanOrganise(const Actor* actor, int64_t public_body_id, int64_t programme_id) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(Role::kOfficer, public_body_id, programme_id) ||
         actor->Has(Role::kFacilitator, public_body_id, programme_id) ||
         actor->Has(Role::kAdmin, public_body_id, programme_id);
}

bool CanSeeDemographics(const Actor* actor, int64_t public_body_id, int64_t programme_id) {
  return CanOrganise(actor, public_body_id, programme_id);
}

bool CanRegister(const Actor* actor) { return actor && actor->user_id != 0; }

}  // namespace communitise::app::panels_permissions
