// Use case: a site admin creates an account (command line, demo data).
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

Result<int64_t> Accounts::CreateUser(const Actor* actor, const CreateUserForm& form) {
  std::string email;
  RETURN_IF_ERROR(accounts_store::ValidateNewAccount(form.email, form.password, form.name, email));
  if (!accounts_permissions::CanCreateUsers(actor)) return Error::Forbidden();
  ASSIGN_OR_RETURN(std::string hash, HashPassword(form.password));
  const int64_t now = clock_.NowSeconds();
  int64_t user_id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(user_id,
                     accounts_store::InsertUser(tx, email, form.name, hash, form.site_admin, now));
    return internal::Audit(tx, now, actor, std::nullopt, "user.create",
                           "user:" + std::to_string(user_id), {{"site_admin", form.site_admin}});
  }));
  return user_id;
}

}  // namespace communitise::app
