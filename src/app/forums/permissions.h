// Who may run forums, vote in them and answer their recommendations. Pure; deny by
// default.
#ifndef COMMUNITISE_APP_FORUMS_PERMISSIONS_H_
#define COMMUNITISE_APP_FORUMS_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::forums_permissions {

// Officers, facilitators and admins of the body or programme, and site admins.
bool CanOrganise(const Actor* actor, int64_t public_body_id, int64_t programme_id);
// The public body answers: its officers and admins (not facilitators), and site admins.
bool CanRespond(const Actor* actor, int64_t public_body_id, int64_t programme_id);

}  // namespace communitise::app::forums_permissions

#endif  // COMMUNITISE_APP_FORUMS_PERMISSIONS_H_
