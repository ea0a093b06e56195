// Use case: a visitor without a session gets an anonymous one, so the sign-in and
// sign-up forms carry a CSRF token. Not audited: an anonymous session changes nothing
// anyone decides, and auditing it would let any visitor grow the log without bound.
#include "communitise/app/accounts.h"
#include "store.h"

namespace communitise::app {

Result<NewSession> Accounts::StartAnonymousSession() {
  const int64_t now = clock_.NowSeconds();
  NewSession out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    // Sweep expired sessions here too: visitors who never sign out leave them behind.
    RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE expires_at <= :now", {now}));
    ASSIGN_OR_RETURN(out, accounts_store::CreateSession(tx, std::nullopt, now));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
