// Use case: end a session.
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "session_cache.h"

namespace communitise::app {

namespace {
constexpr std::string_view kSelect = "SELECT id, user_id FROM sessions WHERE token_hash = :h";
constexpr std::string_view kDelete = "DELETE FROM sessions WHERE id = :id";
// Expired sessions are swept here: sign-out is frequent enough and never hot.
constexpr std::string_view kSweep = "DELETE FROM sessions WHERE expires_at <= :now";
}  // namespace

Status Accounts::SignOut(std::string_view token) {
  if (token.empty()) return Status::Ok();
  const int64_t now = clock_.NowSeconds();
  Status done = db_.Transact([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec(kSweep, {now}));
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(kSelect, {internal::Sha256Hex(token)}));
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(tx.Exec(kDelete, {row->Int(0)}));
    if (auto user_id = row->OptInt(1)) {
      Actor a;
      a.user_id = *user_id;
      return internal::Audit(tx, now, &a, std::nullopt, "user.sign_out",
                             "user:" + std::to_string(*user_id));
    }
    return Status::Ok();
  });
  sessions_->Erase(internal::Sha256Hex(token));
  return done;
}

}  // namespace communitise::app
