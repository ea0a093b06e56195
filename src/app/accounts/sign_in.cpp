// Use case: sign in with email and password, throttled per email and per address.
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "session_cache.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kCountFailures =
    "SELECT COUNT(*) FROM sign_in_failures WHERE kind = :k AND key = :key AND at > :since";
constexpr std::string_view kInsertFailure =
    "INSERT INTO sign_in_failures (kind, key, at) VALUES (:k, :key, :at)";
constexpr std::string_view kForgetFailures =
    "DELETE FROM sign_in_failures WHERE (kind = 'email' AND key = :e) OR at <= :old";
constexpr std::string_view kSelectCredentials =
    "SELECT id, password_hash FROM users WHERE email = :e";

// Verifying against this when the email is unknown keeps the timing the same as for a
// wrong password, so response time does not reveal which emails have accounts.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword("not a real password, only for timing");
    return h.ok() ? *h : std::string();
  }();
  return hash;
}
}  // namespace

Result<NewSession> Accounts::SignIn(std::string_view current_token, const SignInForm& form,
                                    std::string_view client_address) {
  std::vector<FieldError> errors;
  const std::string email = NormaliseEmail(form.email);
  if (internal::Trim(form.email).empty()) {
    errors.push_back({"email", "Enter your email address"});
  } else if (email.empty()) {
    errors.push_back({"email", "Enter an email address in the correct format, like name@example.com"});
  }
  if (form.password.empty()) errors.push_back({"password", "Enter your password"});
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));

  const int64_t now = clock_.NowSeconds();
  const int64_t since = now - kThrottleWindowSeconds;
  const std::string address = client_address.empty() ? "unknown" : std::string(client_address);
  bool throttled = false;
  std::optional<int64_t> user_id;
  std::string stored_hash;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto by_email, tx.QueryOne(kCountFailures, {std::string("email"), email, since}));
    ASSIGN_OR_RETURN(auto by_address,
                     tx.QueryOne(kCountFailures, {std::string("address"), address, since}));
    throttled = by_email->Int(0) >= kMaxFailuresPerEmail ||
                by_address->Int(0) >= kMaxFailuresPerAddress;
    ASSIGN_OR_RETURN(auto user, tx.QueryOne(kSelectCredentials, {email}));
    if (user) {
      user_id = user->Int(0);
      stored_hash = user->Text(1);
    }
    return Status::Ok();
  }));
  if (throttled) {
    return Error::TooManyRequests(
        "Too many failed attempts to sign in. Wait 15 minutes, then try again");
  }
  const bool good = VerifyPassword(user_id ? stored_hash : DummyHash(), form.password) && user_id;
  if (!good) {
    RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Exec(kInsertFailure, {std::string("email"), email, now}));
      return tx.Exec(kInsertFailure, {std::string("address"), address, now}).status();
    }));
    Error e = Error::Unauthenticated("Enter a correct email address and password");
    e.fields = {{"email", "Enter a correct email address and password"}};
    return e;
  }
  NewSession out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec(kForgetFailures, {email, since}));
    RETURN_IF_ERROR(accounts_store::DeleteSession(tx, current_token));
    ASSIGN_OR_RETURN(out, accounts_store::CreateSession(tx, *user_id, now));
    return internal::Audit(tx, now, &*out.session.actor, std::nullopt, "user.sign_in",
                           "user:" + std::to_string(*user_id));
  }));
  if (!current_token.empty()) sessions_->Erase(internal::Sha256Hex(current_token));
  return out;
}

}  // namespace communitise::app
