// SQL and conversions shared by the panel use cases (and by forums, which take their
// members from a panel). Internal to src/app.
#ifndef COMMUNITISE_APP_PANELS_STORE_H_
#define COMMUNITISE_APP_PANELS_STORE_H_

#include <nlohmann/json.hpp>

#include "communitise/app/panels.h"
#include "communitise/sortition/model.h"

namespace communitise::app::panels_store {

// The panel with its counts. Errors: kNotFound.
Result<Panel> Load(storage::Tx& tx, int64_t panel_id);

std::string CategoriesToJson(const std::vector<PanelCategory>& categories);
std::vector<PanelCategory> CategoriesFromJson(std::string_view text);
sortition::Quotas ToQuotas(const std::vector<PanelCategory>& categories);

// Respondents of a panel in id order (features parsed), with member status; only the
// one with id `only` when given.
Result<std::vector<Respondent>> LoadRespondents(storage::Tx& tx, int64_t panel_id,
                                                std::optional<int64_t> only = std::nullopt);

// The selection problem over these respondents, in this order: one person per
// respondent (id "r<respondent id>"), household = their invitation, one per household.
// Errors: kInvalidArgument when an answer no longer matches the quotas.
Result<sortition::Problem> BuildProblem(const Panel& panel,
                                        const std::vector<Respondent>& respondents,
                                        const std::vector<int64_t>& invitation_of);
// The problem over the respondents with these ids, in this order. Errors: kNotFound
// when one of them no longer exists; as BuildProblem.
Result<sortition::Problem> ProblemFor(storage::Tx& tx, const Panel& panel,
                                      const std::vector<int64_t>& respondent_ids);
// Invitation id per respondent id.
Result<std::map<int64_t, int64_t>> InvitationsOf(storage::Tx& tx, int64_t panel_id);

// The current panel members (selected or replacement), with their respondents' ids.
Result<std::vector<PanelMember>> CurrentMembers(storage::Tx& tx, int64_t panel_id);

// Parses a published seed: a whole number 0..2^64-1 written in decimal.
std::optional<uint64_t> ParseSeed(std::string_view text);

}  // namespace communitise::app::panels_store

#endif  // COMMUNITISE_APP_PANELS_STORE_H_
