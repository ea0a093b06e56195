// SQL shared by the programme use cases (and by constitutions and memberships, which
// need a programme's body, network and methods). Internal to src/app.
#ifndef COMMUNITISE_APP_PROGRAMMES_STORE_H_
#define COMMUNITISE_APP_PROGRAMMES_STORE_H_

#include <nlohmann/json.hpp>

#include "communitise/app/programmes.h"

namespace communitise::app::programmes_store {

// The programme with its current scope, areas and member count. Errors: kNotFound.
Result<Programme> Load(storage::Tx& tx, int64_t programme_id);
// Every scope, oldest first.
Result<std::vector<ProgrammeScope>> Scopes(storage::Tx& tx, int64_t programme_id);
// Inserts a scope row (the new current scope).
Status InsertScope(storage::Tx& tx, int64_t programme_id, const ProgrammeScope& scope);
// Scope as JSON for audit details.
nlohmann::json ScopeJson(const ProgrammeScope& scope);
// Methods parsed from form names, deduplicated and in arrow order; unknown names are
// reported as a field error on "methods".
std::vector<Method> ParseMethods(const std::vector<std::string>& names,
                                 std::vector<FieldError>& errors);
// Fills depth and quadrants from nature/network/methods. REQUIRES: !methods.empty().
void Derive(ProgrammeScope& scope);

// Ids of the body's areas with these codes; unknown codes give a field error on "areas".
Result<std::vector<int64_t>> ResolveAreas(storage::Tx& tx, int64_t public_body_id,
                                          const std::vector<std::string>& codes);
// Ids of catalogue services with these names, adding missing ones with `nature`
// (kBoth adds them as discretionary: the catalogue records each service's own nature).
Result<std::vector<int64_t>> ResolveServices(storage::Tx& tx, int64_t public_body_id,
                                             const std::vector<std::string>& names,
                                             ServiceNature nature);
// Replaces the programme's area and service links.
Status ReplaceLinks(storage::Tx& tx, int64_t programme_id, const std::vector<int64_t>& area_ids,
                    const std::vector<int64_t>& service_ids);
// Trimmed, non-empty, deduplicated (first occurrence kept).
std::vector<std::string> CleanList(const std::vector<std::string>& items);

}  // namespace communitise::app::programmes_store

#endif  // COMMUNITISE_APP_PROGRAMMES_STORE_H_
