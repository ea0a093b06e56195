// Community constitutions: the published text of how a body shares power with a
// community, plus typed machine rules the system enforces.
//
// Constitutions are versioned per programme (1, 2, 3, …). Amending creates a new
// version that takes effect at `effective_from` (default: now; never in the past), is
// audited, and is public. An open decision records the time it started and asks
// Constitutions::InForceAt(programme, that time), so a later amendment never applies to
// it retroactively.
//
// Ownership: holds references to the Database and Clock. Thread safety: safe for
// concurrent use.
//
// Form field names (AmendConstitutionForm / ConstitutionRules, as in the web forms and
// JSON): "text", "change_note", "effective_from", "eligibility_mode", "minimum_age",
// "binding_threshold_percent", "quorum_percent", "response_days", "pb_rule",
// "ballot_type", "approval_minimum", "approval_limit", "points", "board_residents",
// "board_councillors", "board_partners", "pb_round_openers".
#ifndef COMMUNITISE_APP_CONSTITUTIONS_H_
#define COMMUNITISE_APP_CONSTITUTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

// Who may join: residents of the programme's areas (by postcode), people an officer
// approves, or anyone who declares the need/interest.
enum class EligibilityMode { kPostcodeInAreas, kOfficerApproval, kSelfDeclaration };
// "postcode_in_areas" "officer_approval" "self_declaration"
std::string_view ToString(EligibilityMode v);
std::optional<EligibilityMode> ParseEligibilityMode(std::string_view text);

// How a participatory budget's outcome is computed: "greedy" (by votes), "equal_shares"
// (Method of Equal Shares), "phragmen" (sequential Phragmén).
enum class PbRule { kGreedy, kEqualShares, kPhragmen };
std::string_view ToString(PbRule v);
std::optional<PbRule> ParsePbRule(std::string_view text);

// The ballot: "approval" (with approval_limit, 0 = no limit), "knapsack" (within the
// budget), "cumulative" (points), "ranking".
enum class BallotType { kApproval, kKnapsack, kCumulative, kRanking };
std::string_view ToString(BallotType v);
std::optional<BallotType> ParseBallotType(std::string_view text);

// Who may open a participatory-budgeting round on the programme's fund: the public
// body's officers (always), and — when the constitution hands the board that power —
// the members of the programme's board (Role::kBoardMember). "officers"
// "officers_and_board". Stored by name; new values go at the end.
enum class RoundOpeners { kOfficers, kOfficersAndBoard };
std::string_view ToString(RoundOpeners v);
std::optional<RoundOpeners> ParseRoundOpeners(std::string_view text);

struct BoardComposition {
  int residents = 0;
  int councillors = 0;
  int partners = 0;
  int Total() const { return residents + councillors + partners; }
  bool operator==(const BoardComposition&) const = default;
};

struct ConstitutionRules {
  EligibilityMode eligibility_mode = EligibilityMode::kPostcodeInAreas;
  int minimum_age = 16;                 // 0..120
  int binding_threshold_percent = 50;   // 1..100: support needed to bind the body
  int quorum_percent = 25;              // 1..100: share of participants needed
  int response_days = 56;               // 1..365: days to answer a recommendation
  PbRule pb_rule = PbRule::kGreedy;
  BallotType ballot_type = BallotType::kApproval;
  int approval_minimum = 1;             // approval/ranking ballots: fewest projects, 1..1000
  int approval_limit = 0;               // approval ballots: max approvals, 0 = none
  int points = 10;                      // cumulative ballots: points to share out, 1..1000
  BoardComposition board;               // all zero when no board
  RoundOpeners pb_round_openers = RoundOpeners::kOfficers;
  bool operator==(const ConstitutionRules&) const = default;
};

// Validates rules for a programme with this network and these methods. Field errors
// use the field names above. Cross-field rules: "postcode_in_areas" needs a geographic
// network; formal governance needs a board of at least 3 with at least one resident
// seat, and no board is allowed without it; binding deliberation needs a threshold
// above 50%; approval_limit is only for approval ballots and not below
// approval_minimum; the board can be given the power to open rounds only if there is a
// board.
Status ValidateRules(const ConstitutionRules& rules, NetworkKind network,
                     const std::vector<Method>& methods);

// Sensible first-version rules for a new programme (eligibility from the network; a
// 7/7/7 board when formal governance is in use).
ConstitutionRules DefaultRules(NetworkKind network, const std::vector<Method>& methods);

// JSON text of the rules (field names as above) and back. Parse errors are field-level.
std::string RulesToJson(const ConstitutionRules& rules);
Result<ConstitutionRules> RulesFromJson(std::string_view json);

struct Constitution {
  int64_t id = 0;
  int64_t programme_id = 0;
  int version = 0;
  std::string text;           // published text (plain text, paragraphs by blank lines)
  ConstitutionRules rules;
  std::string change_note;    // why this version was made
  int64_t effective_from = 0;
  int64_t created_at = 0;
  int64_t created_by = 0;     // user id (0: system)
};

struct AmendConstitutionForm {
  std::string text;                       // "text": 1..50,000 characters
  ConstitutionRules rules;
  std::string change_note;                // "change_note": 1..1,000 characters
  std::optional<int64_t> effective_from;  // "effective_from": >= now; default now
};

class Constitutions {
 public:
  Constitutions(storage::Database& db, Clock& clock) : db_(db), clock_(clock) {}

  // Public: the version in force now. Errors: kNotFound.
  Result<Constitution> Current(int64_t programme_id);
  // Public: the version in force at time `at` (the latest version whose effective_from
  // <= at). Errors: kNotFound (no programme, or `at` before the first version).
  Result<Constitution> InForceAt(int64_t programme_id, int64_t at);
  // Public: one version. Errors: kNotFound.
  Result<Constitution> Version(int64_t programme_id, int version);
  // Public: every version, oldest first (including ones that take effect later).
  Result<std::vector<Constitution>> ListVersions(int64_t programme_id);

  // Officers/admins of the programme's body (or of the programme) and site admins.
  // Creates version N+1. Errors: kInvalidArgument (fields), kForbidden, kNotFound.
  Result<Constitution> Amend(const Actor* actor, int64_t programme_id,
                             const AmendConstitutionForm& form);

 private:
  storage::Database& db_;
  Clock& clock_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_CONSTITUTIONS_H_
