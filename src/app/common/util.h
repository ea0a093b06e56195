// Helpers shared by the use cases of every component: audit records, random tokens,
// hashing, text checks, slugs and JSON lists. Internal to src/app.
#ifndef COMMUNITISE_APP_COMMON_UTIL_H_
#define COMMUNITISE_APP_COMMON_UTIL_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/result.h"
#include "communitise/core/text.h"
#include "communitise/storage/audit.h"
#include "communitise/storage/database.h"

namespace communitise::app::internal {

// The audit record of `action` by `actor` (nullptr: "anonymous").
storage::AuditEntry AuditEntryFor(int64_t at, const Actor* actor,
                                  std::optional<int64_t> programme_id, std::string_view action,
                                  std::string_view subject,
                                  const nlohmann::json& details = nlohmann::json::object());
// Appends an audit record for `actor` (nullptr: "anonymous") in `tx`.
Status Audit(storage::Tx& tx, int64_t at, const Actor* actor, std::optional<int64_t> programme_id,
             std::string_view action, std::string_view subject,
             const nlohmann::json& details = nlohmann::json::object());

// `bytes` random bytes from libsodium, as lower-case hex.
std::string RandomHex(size_t bytes);
// Lower-case hex SHA-256.
std::string Sha256Hex(std::string_view data);
// Constant-time equality of two strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Text helpers are core's (communitise/core/text.h).
using ::communitise::CharCount;
using ::communitise::Trim;
using ::communitise::ValidUtf8;
// Adds a field error to `errors` when the text is not valid UTF-8, or when trimmed `value` is outside [min, max] characters.
void CheckLength(std::vector<FieldError>& errors, std::string_view field, std::string_view label,
                 std::string_view value, size_t min, size_t max);
// "Riverside Area Action Partnership!" → "riverside-area-action-partnership".
std::string Slugify(std::string_view text);
// True for 2..60 of [a-z0-9-], not starting or ending with '-'.
bool ValidSlug(std::string_view slug);

// A field-level InvalidArgument with a summary message, or Ok when `errors` is empty.
Status FieldErrors(std::vector<FieldError> errors);

// JSON list of strings stored in one TEXT column, and back (malformed → empty).
std::string ToJsonList(const std::vector<std::string>& items);
std::vector<std::string> FromJsonList(std::string_view text);

// Maps a storage kConflict on a unique column to a field error.
Error ConflictOnField(const Error& e, std::string field, std::string message);

}  // namespace communitise::app::internal

#endif  // COMMUNITISE_APP_COMMON_UTIL_H_
