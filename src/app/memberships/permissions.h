// Who may join programmes, decide applications and see members. Pure; deny by default.
#ifndef COMMUNITISE_APP_MEMBERSHIPS_PERMISSIONS_H_
#define COMMUNITISE_APP_MEMBERSHIPS_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::memberships_permissions {

// Any signed-in person (eligibility itself is checked by the constitution's rules).
bool CanJoin(const Actor* actor);
// Officers, admins and facilitators of the body or programme, and site admins.
bool CanDecideApplications(const Actor* actor, int64_t public_body_id, int64_t programme_id);
// Seeing members with their personal data: as CanDecideApplications.
bool CanSeeMembers(const Actor* actor, int64_t public_body_id, int64_t programme_id);

}  // namespace communitise::app::memberships_permissions

#endif  // COMMUNITISE_APP_MEMBERSHIPS_PERMISSIONS_H_
