// SQL and row helpers shared by the accounts use cases. Internal to src/app.
#ifndef COMMUNITISE_APP_ACCOUNTS_STORE_H_
#define COMMUNITISE_APP_ACCOUNTS_STORE_H_

#include <optional>
#include <string_view>

#include "communitise/app/accounts.h"

namespace communitise::app::accounts_store {

inline constexpr int64_t kAnonymousSessionLifetimeSeconds = 24 * 3600;

// The actor for a user (with role grants), or NotFound.
Result<Actor> LoadActor(storage::Tx& tx, int64_t user_id);
// Makes a session for `user_id` (nullopt: anonymous) and returns its token.
Result<NewSession> CreateSession(storage::Tx& tx, std::optional<int64_t> user_id, int64_t now);
// Deletes the session behind `token` (if any).
Status DeleteSession(storage::Tx& tx, std::string_view token);
// Validates and checks the permission-free parts of a new account, then inserts it.
// `password_hash` is already computed. Errors: kConflict (field "email").
Result<int64_t> InsertUser(storage::Tx& tx, const std::string& email, const std::string& name,
                           const std::string& password_hash, bool site_admin, int64_t now);
// Field checks for email/password/name shared by sign-up and create-user.
Status ValidateNewAccount(const std::string& email, std::string_view password,
                          std::string_view name, std::string& normalised_email);

}  // namespace communitise::app::accounts_store

#endif  // COMMUNITISE_APP_ACCOUNTS_STORE_H_
