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
// Whether the user has declared a conflict of interest in the project.
Result<bool> DeclaredConflict(storage::Tx& tx, int64_t project_id, int64_t user_id);
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

// One part of a round's fund. An unsplit round has one part, the whole fund. A round
// split by area or theme has one part per split, in the round's order, then — when
// the splits leave some of the fund over — the rest ("whole" kind) for projects in no
// split. Each part's outcome is computed on its own, with its own budget and projects.
struct Part {
  std::string kind;  // "" (unsplit), "area", "theme" or "whole"
  std::string name;  // the split's name; "" for an unsplit round
  int64_t budget_pence = 0;
};
inline constexpr std::string_view kRestOfFund = "Rest of the fund";
std::vector<Part> Parts(const PbRound& round);
// The part a project belongs to: its area (or theme, as the round is split), compared
// without case or surrounding spaces; else the rest of the fund; -1 when there is no
// such part.
int PartOf(const PbRound& round, const std::vector<Part>& parts, std::string_view area,
           std::string_view theme);

// The projects on a round's ballot paper (the accepted ones): cost and part of each.
struct BallotPaper {
  std::vector<Part> parts;
  std::map<int64_t, int64_t> costs;  // project id → cost in pence
  std::map<int64_t, int> part_of;    // project id → index into parts (-1: none)
};
Result<BallotPaper> LoadBallotPaper(storage::Tx& tx, const PbRound& round);

// Ballot choices as stored: "12,7,30" or, with points, "12:5,7:3".
std::string EncodeChoices(const CastBallotForm& form);
// Back; malformed text gives an empty ballot.
CastBallotForm DecodeChoices(std::string_view text);

// Checks a ballot against the round's rules and ballot paper. A knapsack ballot must
// fit each part's budget. Field errors on "choices" (and "points").
Status ValidateBallot(const PbRound& round, const BallotPaper& paper, const CastBallotForm& form);

// The election the engine decides for one part of the fund: that part's accepted
// projects (ids as text, costs in pounds with two decimals) and budget, one voter per
// counted ballot (in the given order) that chose any of them, META with the round's
// ballot limits and rule (and, for a split round, the part's name as "subunit" and a
// minimum ballot length of 1, since a voter may choose few projects in one part).
pb::Election BuildElection(const PbRound& round, const Part& part,
                           const std::vector<PbProject>& projects,
                           const std::vector<CastBallotForm>& ballots);

// "£1,250.50"
std::string FormatPounds(int64_t pence);

}  // namespace communitise::app::pb_store

#endif  // COMMUNITISE_APP_PB_ROUNDS_STORE_H_
