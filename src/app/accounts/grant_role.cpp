// Use case: an admin grants a role in a public body or one of its programmes.
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "session_cache.h"
#include "permissions.h"

namespace communitise::app {

namespace {
constexpr std::string_view kUserByEmail = "SELECT id FROM users WHERE email = :e";
constexpr std::string_view kBodyExists = "SELECT id FROM public_bodies WHERE id = :b";
constexpr std::string_view kProgrammeBody = "SELECT public_body_id FROM programmes WHERE id = :p";
constexpr std::string_view kGrantExists =
    "SELECT id FROM role_grants WHERE user_id = :u AND public_body_id = :b AND "
    "programme_id = :p AND role = :r";
constexpr std::string_view kInsertGrant =
    "INSERT INTO role_grants (user_id, public_body_id, programme_id, role, granted_at) "
    "VALUES (:u, :b, :p, :r, :t)";
}  // namespace

Status Accounts::GrantRole(const Actor* actor, const GrantRoleForm& form) {
  std::vector<FieldError> errors;
  const std::string email = NormaliseEmail(form.email);
  if (email.empty()) errors.push_back({"email", "Enter the email address of the person"});
  const auto role = ParseRole(form.role);
  if (!role) errors.push_back({"role", "Select a role"});
  if (form.public_body_id <= 0) errors.push_back({"public_body_id", "Select a public body"});
  if (form.programme_id < 0) errors.push_back({"programme_id", "Select a programme"});
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!accounts_permissions::CanGrantRole(actor, form.public_body_id)) return Error::Forbidden();

  const int64_t now = clock_.NowSeconds();
  int64_t user_id = 0;
  Status done = db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto user, tx.QueryOne(kUserByEmail, {email}));
    if (!user) return Error::Field("email", "There is no account with this email address");
    ASSIGN_OR_RETURN(auto body, tx.QueryOne(kBodyExists, {form.public_body_id}));
    if (!body) return Error::NotFound("No such public body");
    if (form.programme_id != 0) {
      ASSIGN_OR_RETURN(auto programme, tx.QueryOne(kProgrammeBody, {form.programme_id}));
      if (!programme || programme->Int(0) != form.public_body_id) {
        return Error::NotFound("No such programme in this public body");
      }
    }
    const std::string role_name(ToString(*role));
    const storage::Params key = {user->Int(0), form.public_body_id, form.programme_id, role_name};
    ASSIGN_OR_RETURN(auto exists, tx.QueryOne(kGrantExists, key));
    if (exists) return Status::Ok();
    user_id = user->Int(0);
    storage::Params insert = key;
    insert.push_back(now);
    RETURN_IF_ERROR(tx.Exec(kInsertGrant, insert));
    return internal::Audit(
        tx, now, actor,
        form.programme_id ? std::optional<int64_t>(form.programme_id) : std::nullopt,
        "role.grant", "user:" + std::to_string(user->Int(0)),
        {{"role", role_name}, {"public_body_id", form.public_body_id},
         {"programme_id", form.programme_id}});
  });
  // After the commit, so a request in between cannot cache the old roles again.
  if (done.ok() && user_id != 0) sessions_->EraseUser(user_id);
  return done;
}

}  // namespace communitise::app
