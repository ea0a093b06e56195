// Who may do what with accounts and roles. Pure functions of the actor; deny by
// default: anything not listed here is refused. nullptr is an anonymous visitor.
#ifndef COMMUNITISE_APP_ACCOUNTS_PERMISSIONS_H_
#define COMMUNITISE_APP_ACCOUNTS_PERMISSIONS_H_

#include <cstdint>
#include <vector>

#include "communitise/app/types.h"

namespace communitise::app::accounts_permissions {

// Creating accounts for other people (command line, demo data): site admins.
bool CanCreateUsers(const Actor* actor);
// Granting roles in a body: site admins and the body's admins.
bool CanGrantRole(const Actor* actor, int64_t public_body_id);
// Seeing a person's email: the person, site admins, and admins/officers of a body the
// person has a role or membership in (`their_bodies`).
bool CanSeeEmail(const Actor* actor, int64_t user_id, const std::vector<int64_t>& their_bodies);

}  // namespace communitise::app::accounts_permissions

#endif  // COMMUNITISE_APP_ACCOUNTS_PERMISSIONS_H_
