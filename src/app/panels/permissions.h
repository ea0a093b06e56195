// Who may run resident panels and see the demographic answers they collect. Pure; deny
// by default.
#ifndef COMMUNITISE_APP_PANELS_PERMISSIONS_H_
#define COMMUNITISE_APP_PANELS_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::panels_permissions {

// Officers, facilitators and admins of the body or the programme, and site admins:
// the roles that run selection.
bool CanOrganise(const Actor* actor, int64_t public_body_id, int64_t programme_id);
// Demographic answers: exactly the roles that run selection.
bool CanSeeDemographics(const Actor* actor, int64_t public_body_id, int64_t programme_id);
// Any signed-in person holding a code.
bool CanRegister(const Actor* actor);

}  // namespace communitise::app::panels_permissions

#endif  // COMMUNITISE_APP_PANELS_PERMISSIONS_H_
