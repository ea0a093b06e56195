// Who may create public bodies and manage their areas. Pure; deny by default.
#ifndef COMMUNITISE_APP_PUBLIC_BODIES_PERMISSIONS_H_
#define COMMUNITISE_APP_PUBLIC_BODIES_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::public_bodies_permissions {

// Site admins only: a new public body is a new tenant of the site.
bool CanCreatePublicBody(const Actor* actor);
// Site admins and the body's admins and officers.
bool CanImportAreas(const Actor* actor, int64_t public_body_id);

}  // namespace communitise::app::public_bodies_permissions

#endif  // COMMUNITISE_APP_PUBLIC_BODIES_PERMISSIONS_H_
