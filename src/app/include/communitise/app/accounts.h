// Accounts: people, passwords, sessions, CSRF tokens and roles.
//
// Passwords are hashed with argon2id (random 16-byte salt from libsodium; the encoded
// hash string records its parameters). Sessions live in the database: the client holds
// a random 256-bit token (64 hex characters) and the database stores only its SHA-256,
// so a stolen database does not yield live sessions. Every session — anonymous too —
// carries its own random CSRF token, so the sign-in and sign-up forms are protected.
// Signing in or up replaces the session (new token, new CSRF token) to prevent session
// fixation. Sessions expire kSessionLifetimeSeconds after they were made.
//
// Failed sign-ins are throttled: more than kMaxFailuresPerEmail failures for one email,
// or kMaxFailuresPerAddress from one client address, within kThrottleWindowSeconds gives
// kTooManyRequests (even for a right password) until the window has passed.
//
// Ownership: holds references to the Database and Clock, which must outlive it.
// Thread safety: safe for concurrent use.
//
// Form field names (for field-level errors, and the names the web forms/JSON use):
//   sign up:  "email", "password", "name"
//   sign in:  "email", "password"
//   grant role: "email", "role", "public_body_id", "programme_id"
#ifndef COMMUNITISE_APP_ACCOUNTS_H_
#define COMMUNITISE_APP_ACCOUNTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

inline constexpr int64_t kSessionLifetimeSeconds = 14 * 24 * 3600;
inline constexpr int64_t kThrottleWindowSeconds = 15 * 60;
inline constexpr int kMaxFailuresPerEmail = 5;
inline constexpr int kMaxFailuresPerAddress = 20;
inline constexpr size_t kMinPasswordLength = 10;

// What the web layer keeps for a request after resolving the session cookie.
struct Session {
  int64_t id = 0;
  std::string csrf_token;           // 64 hex chars; embed in every form
  int64_t expires_at = 0;
  std::optional<Actor> actor;       // empty for an anonymous session
};

// A newly made session: `token` goes in the cookie (HttpOnly, SameSite=Lax, Secure
// when served over TLS), max-age until expires_at. The token is never stored.
struct NewSession {
  std::string token;
  Session session;
};

struct SignUpForm {
  std::string email;     // "email": required, a plausible address, unique (case-insensitive)
  std::string password;  // "password": at least kMinPasswordLength characters
  std::string name;      // "name": display name, 1..100 characters
};

struct SignInForm {
  std::string email;     // "email"
  std::string password;  // "password"
};

// A person as others may see them. `email` is filled only for the person themself,
// site admins, and officers/admins of a body the person has a role or membership in.
struct UserView {
  int64_t id = 0;
  std::string display_name;
  std::optional<std::string> email;
  bool site_admin = false;
  int64_t created_at = 0;
  std::vector<RoleGrant> roles;
};

struct CreateUserForm {
  std::string email;     // "email"
  std::string password;  // "password"
  std::string name;      // "name"
  bool site_admin = false;
};

struct GrantRoleForm {
  std::string email;            // "email": the person receiving the role
  std::string role;             // "role": ToString(Role)
  int64_t public_body_id = 0;   // "public_body_id"
  int64_t programme_id = 0;     // "programme_id": 0 for body-wide
};

class SessionCache;

class Accounts {
 public:
  Accounts(storage::Database& db, Clock& clock);
  ~Accounts();
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;

  // A fresh anonymous session (for a visitor without a valid cookie).
  // Errors: kUnavailable/kInternal from storage.
  Result<NewSession> StartAnonymousSession();

  // Looks up the session for a cookie token. Errors: kUnauthenticated when the token is
  // unknown, malformed or expired (the caller then starts an anonymous session).
  // Sessions are kept in memory for a few seconds (accounts/session_cache.h): changes
  // made through this object show at once, changes made by another server within
  // seconds.
  Result<Session> ResolveSession(std::string_view token);

  // The session for a cookie token if it is in memory and still good; never reads the
  // database (for callers that must not block). nullopt says nothing about the token.
  std::optional<Session> CachedSession(std::string_view token);

  // Constant-time comparison of a submitted CSRF token with the session's.
  static bool CsrfMatches(const Session& session, std::string_view submitted);

  // Creates an account and signs it in, replacing `current_token`'s session (may be
  // empty). Errors: kInvalidArgument with fields; kConflict (field "email") when the
  // email is taken.
  Result<NewSession> SignUp(std::string_view current_token, const SignUpForm& form);

  // Signs in, replacing `current_token`'s session. `client_address` is the peer IP (for
  // throttling). Errors: kInvalidArgument with fields for missing input; kUnauthenticated
  // ("Enter a correct email address and password") for a wrong email or password;
  // kTooManyRequests when throttled.
  Result<NewSession> SignIn(std::string_view current_token, const SignInForm& form,
                            std::string_view client_address);

  // Ends the session (deletes it). Unknown tokens are not an error.
  Status SignOut(std::string_view token);

  // Creates an account without signing in (command-line administration, demo data).
  // REQUIRES actor to be a site admin. Returns the new user id.
  Result<int64_t> CreateUser(const Actor* actor, const CreateUserForm& form);

  // Grants a role. Allowed to site admins and to admins of the body.
  // Errors: kInvalidArgument (fields), kNotFound (no such person/body/programme),
  // kForbidden; granting an existing role is a no-op success.
  Status GrantRole(const Actor* actor, const GrantRoleForm& form);

  // A person's public view (see UserView for when email is included).
  Result<UserView> GetUser(const Actor* actor, int64_t user_id);

  // Loads the actor for a user id (roles included). Errors: kNotFound.
  Result<Actor> LoadActor(int64_t user_id);

 private:
  storage::Database& db_;
  Clock& clock_;
  std::unique_ptr<SessionCache> sessions_;  // see accounts/session_cache.h
};

// Password hashing, exposed for tests and the CLI. HashPassword returns an encoded
// argon2id string; VerifyPassword is false for a wrong password or a malformed hash.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// Lower-cases and trims an email address; empty when it is not plausible
// (one '@', something on both sides, a dot in the domain, no spaces, <= 254 chars).
std::string NormaliseEmail(std::string_view email);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_ACCOUNTS_H_
