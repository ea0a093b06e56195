// SQL and pure helpers shared by the participatory-budgeting use cases. Internal.
#ifndef COMMUNITISE_APP_PB_ROUNDS_STORE_H_
#define COMMUNITISE_APP_PB_ROUNDS_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/pb_rounds.h"
#include "communitise/pb/election.h"

namespace communitise::app::pb_store {

// The round with its splits, screeners and counted ballots. Errors: kNotFound.
Result<PbRound> LoadRound(storage::Tx& tx, int64_t round_id);
// One project with its attachments' descriptions. Errors: kNotFound.
Result<PbProject> LoadProject(storage::Tx& tx, int64_t project_id);
// Every project of the round, by id.
Result<std::vector<PbProject>> LoadProjects(storage::Tx& tx, int64_t round_id);
// For a round screened by a forum: sets screening_forum_id, screening_forum_name,
// panel_decides, and `screeners` to the forum's active members. No-op otherwise.
Status LoadScreeningForum(storage::Tx& tx, PbRound& round);
// Records `forum_id` (a forum of the round's programme) as the round's screening body,
// with its audit entry. Errors: field "screening_forum_id".
Status AttachScreeningForum(storage::Tx& tx, const Actor* actor, int64_t programme_id,
                            int64_t round_id, int64_t forum_id, bool panel_decides,
                            int64_t now);
// Whether `user_id` is an active member of the programme.
Result<bool> IsActiveMember(storage::Tx& tx, int64_t programme_id, int64_t user_id);

// Ballot choices as stored: "12,7,30" or, with points, "12:5,7:3".
std::string EncodeChoices(const CastBallotForm& form);
// Back; malformed text gives an empty ballot.
CastBallotForm DecodeChoices(std::string_view text);

// Checks a ballot against the round's rules; `costs` maps each project on the ballot
// paper (accepted projects) to its cost. Field errors on "choices" (and "points").
Status ValidateBallot(const PbRound& round, const std::map<int64_t, int64_t>& costs,
                      const CastBallotForm& form);

// The election the engine decides: accepted projects (ids as text, costs in pounds
// with two decimals), one voter per counted ballot in the given order, META with the
// round's ballot limits and rule.
pb::Election BuildElection(const PbRound& round, const std::vector<PbProject>& accepted,
                           const std::vector<CastBallotForm>& ballots);

// "£1,250.50"
std::string FormatPounds(int64_t pence);

}  // namespace communitise::app::pb_store

#endif  // COMMUNITISE_APP_PB_ROUNDS_STORE_H_
