// SQL shared by the forum use cases. Internal to src/app.
#ifndef COMMUNITISE_APP_FORUMS_STORE_H_
#define COMMUNITISE_APP_FORUMS_STORE_H_

#include "communitise/app/forums.h"

namespace communitise::app::forums_store {

// Errors: kNotFound.
Result<Forum> Load(storage::Tx& tx, int64_t forum_id);
// The active membership of a user, if any.
Result<std::optional<int64_t>> ActiveMemberId(storage::Tx& tx, int64_t forum_id, int64_t user_id);
// Adds or reactivates a member; returns the member id.
Result<int64_t> UpsertMember(storage::Tx& tx, int64_t forum_id, int64_t user_id,
                             std::string_view source, int64_t now);

}  // namespace communitise::app::forums_store

#endif  // COMMUNITISE_APP_FORUMS_STORE_H_
