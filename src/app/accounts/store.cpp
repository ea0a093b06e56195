#include "store.h"

#include "../common/util.h"

namespace communitise::app::accounts_store {

using internal::Sha256Hex;

namespace {
constexpr std::string_view kSelectUser =
    "SELECT id, display_name, site_admin FROM users WHERE id = :id";
constexpr std::string_view kSelectGrants =
    "SELECT role, public_body_id, programme_id FROM role_grants WHERE user_id = :id "
    "ORDER BY public_body_id, programme_id, role";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
    "VALUES (:h, :u, :c, :t, :e) RETURNING id";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = :h";
constexpr std::string_view kEmailTaken = "SELECT id FROM users WHERE email = :e";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (email, display_name, password_hash, site_admin, created_at) "
    "VALUES (:e, :n, :p, :a, :t) RETURNING id";
}  // namespace

Result<Actor> LoadActor(storage::Tx& tx, int64_t user_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kSelectUser, {user_id}));
  if (!row) return Error::NotFound("No such person");
  Actor a;
  a.user_id = row->Int(0);
  a.display_name = row->Text(1);
  a.site_admin = row->Bool(2);
  ASSIGN_OR_RETURN(auto grants, tx.Query(kSelectGrants, {user_id}));
  for (const auto& g : grants) {
    if (auto role = ParseRole(g.Text(0))) {
      a.roles.push_back(RoleGrant{*role, g.Int(1), g.Int(2)});
    }
  }
  return a;
}

Result<NewSession> CreateSession(storage::Tx& tx, std::optional<int64_t> user_id, int64_t now) {
  NewSession s;
  s.token = internal::RandomHex(32);
  s.session.csrf_token = internal::RandomHex(32);
  s.session.expires_at =
      now + (user_id ? kSessionLifetimeSeconds : kAnonymousSessionLifetimeSeconds);
  ASSIGN_OR_RETURN(s.session.id,
                   tx.Insert(kInsertSession, {Sha256Hex(s.token), storage::Opt(user_id),
                                              s.session.csrf_token, now, s.session.expires_at}));
  if (user_id) {
    ASSIGN_OR_RETURN(Actor a, LoadActor(tx, *user_id));
    a.session_id = s.session.id;
    s.session.actor = std::move(a);
  }
  return s;
}

Status DeleteSession(storage::Tx& tx, std::string_view token) {
  if (token.empty()) return Status::Ok();
  return tx.Exec(kDeleteSession, {Sha256Hex(token)}).status();
}

Status ValidateNewAccount(const std::string& email, std::string_view password,
                          std::string_view name, std::string& normalised_email) {
  std::vector<FieldError> errors;
  normalised_email = NormaliseEmail(email);
  if (internal::Trim(email).empty()) {
    errors.push_back({"email", "Enter your email address"});
  } else if (normalised_email.empty()) {
    errors.push_back({"email", "Enter an email address in the correct format, like name@example.com"});
  }
  if (password.empty()) {
    errors.push_back({"password", "Enter a password"});
  } else if (internal::CharCount(password) < kMinPasswordLength) {
    errors.push_back({"password", "Password must be " + std::to_string(kMinPasswordLength) +
                                      " characters or more"});
  } else if (password.size() > 1000) {
    errors.push_back({"password", "Password must be 1000 characters or fewer"});
  }
  internal::CheckLength(errors, "name", "your name", name, 1, 100);
  return internal::FieldErrors(std::move(errors));
}

Result<int64_t> InsertUser(storage::Tx& tx, const std::string& email, const std::string& name,
                           const std::string& password_hash, bool site_admin, int64_t now) {
  ASSIGN_OR_RETURN(auto taken, tx.QueryOne(kEmailTaken, {email}));
  if (taken) {
    Error e = Error::Field("email", "An account with this email address already exists");
    e.code = ErrorCode::kConflict;
    return e;
  }
  auto id = tx.Insert(kInsertUser, {email, internal::Trim(name), password_hash,
                                    int64_t{site_admin ? 1 : 0}, now});
  if (!id.ok()) {
    return internal::ConflictOnField(id.error(), "email",
                                     "An account with this email address already exists");
  }
  return *id;
}

}  // namespace communitise::app::accounts_store
