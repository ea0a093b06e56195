// Who may create and change programmes. Pure; deny by default. Reading programmes is
// public and needs no check.
#ifndef COMMUNITISE_APP_PROGRAMMES_PERMISSIONS_H_
#define COMMUNITISE_APP_PROGRAMMES_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::programmes_permissions {

// Officers and admins of the body (body-wide grants), and site admins.
bool CanCreateProgramme(const Actor* actor, int64_t public_body_id);
// Officers and admins of the body or of this programme, and site admins.
bool CanManageProgramme(const Actor* actor, int64_t public_body_id, int64_t programme_id);

}  // namespace communitise::app::programmes_permissions

#endif  // COMMUNITISE_APP_PROGRAMMES_PERMISSIONS_H_
