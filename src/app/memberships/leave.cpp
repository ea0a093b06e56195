// Use case: a member leaves a programme.
#include "../common/util.h"
#include "communitise/app/memberships.h"

namespace communitise::app {

Status Memberships::Leave(const Actor* actor, int64_t programme_id) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM memberships WHERE programme_id = :p AND "
                                           "user_id = :u AND status IN ('active', 'pending')",
                                           {programme_id, actor->user_id}));
    if (!row) return Error::NotFound("You are not a member of this programme");
    RETURN_IF_ERROR(tx.Exec("UPDATE memberships SET status = 'left', decided_at = :t WHERE id = :id",
                            {now, row->Int(0)}));
    return internal::Audit(tx, now, actor, programme_id, "membership.leave",
                           "membership:" + std::to_string(row->Int(0)));
  });
}

}  // namespace communitise::app
