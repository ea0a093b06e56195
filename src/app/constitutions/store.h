// SQL shared by the constitution use cases and programme creation. Internal.
#ifndef COMMUNITISE_APP_CONSTITUTIONS_STORE_H_
#define COMMUNITISE_APP_CONSTITUTIONS_STORE_H_

#include <optional>
#include <string>
#include <string_view>

#include "communitise/app/constitutions.h"

namespace communitise::app::constitutions_store {

// A constitutions row (columns as in the SELECTs of store.cpp).
Result<Constitution> FromRow(const storage::Row& r);
inline constexpr std::string_view kColumns =
    "SELECT id, programme_id, version, text, rules, change_note, effective_from, created_at, "
    "created_by FROM constitutions";

// Inserts version `c.version` and returns its id.
Result<int64_t> Insert(storage::Tx& tx, const Constitution& c);
// The version in force at `at`, or nullopt.
Result<std::optional<Constitution>> InForceAt(storage::Tx& tx, int64_t programme_id, int64_t at);
// The highest version number (0 when none).
Result<int> LatestVersion(storage::Tx& tx, int64_t programme_id);
// A default published text describing `rules`.
std::string DefaultText(const std::string& programme_name, const ConstitutionRules& rules);

}  // namespace communitise::app::constitutions_store

#endif  // COMMUNITISE_APP_CONSTITUTIONS_STORE_H_
