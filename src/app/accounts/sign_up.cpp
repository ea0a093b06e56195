// Use case: create an account and sign it in.
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "session_cache.h"
#include "store.h"

namespace communitise::app {

Result<NewSession> Accounts::SignUp(std::string_view current_token, const SignUpForm& form) {
  std::string email;
  RETURN_IF_ERROR(accounts_store::ValidateNewAccount(form.email, form.password, form.name, email));
  // Hashing is slow on purpose; do it before taking the write lock.
  ASSIGN_OR_RETURN(std::string hash, HashPassword(form.password));
  const int64_t now = clock_.NowSeconds();
  NewSession out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t user_id,
                     accounts_store::InsertUser(tx, email, form.name, hash, false, now));
    RETURN_IF_ERROR(accounts_store::DeleteSession(tx, current_token));
    ASSIGN_OR_RETURN(out, accounts_store::CreateSession(tx, user_id, now));
    return internal::Audit(tx, now, &*out.session.actor, std::nullopt, "user.sign_up",
                           "user:" + std::to_string(user_id));
  }));
  if (!current_token.empty()) sessions_->Erase(internal::Sha256Hex(current_token));
  return out;
}

}  // namespace communitise::app
