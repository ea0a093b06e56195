// Who may amend a constitution. Pure; deny by default. Reading is public.
#ifndef COMMUNITISE_APP_CONSTITUTIONS_PERMISSIONS_H_
#define COMMUNITISE_APP_CONSTITUTIONS_PERMISSIONS_H_

#include <cstdint>

#include "communitise/app/types.h"

namespace communitise::app::constitutions_permissions {

// Officers and admins of the body or the programme, and site admins. Councillors,
// partners and members take part in deciding an amendment, but the body records it.
bool CanAmendConstitution(const Actor* actor, int64_t public_body_id, int64_t programme_id);

}  // namespace communitise::app::constitutions_permissions

#endif  // COMMUNITISE_APP_CONSTITUTIONS_PERMISSIONS_H_
