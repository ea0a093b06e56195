// Election: one participatory-budgeting election as read from a pabulib file.
//
// An Election owns all of its data (plain values, no pointers into other objects).
// Money is exact: every cost and the budget are integers counted in units of
// 10^-cost_decimals of the currency, where cost_decimals is the largest number of
// decimal places used by any cost or the budget in the file (0 for almost all files).
// Ballots refer to projects by index into `projects`.
//
// Columns other than the ones the engine interprets (project_id, cost, voter_id, vote,
// points) are kept verbatim in `cells`, aligned with `project_columns` /
// `voter_columns`, so a file can be written back without loss. The interpreted
// columns hold an empty string in `cells`; the writer fills them from the typed fields.
//
// Thread safety: a plain value; const access from many threads is safe.
#ifndef COMMUNITISE_PB_ELECTION_H_
#define COMMUNITISE_PB_ELECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::pb {

enum class VoteType { kApproval, kOrdinal, kCumulative, kScoring, kChoose1 };

std::string_view VoteTypeName(VoteType type);

struct Project {
  std::string id;
  int64_t cost = 0;                // in units of 10^-Election::cost_decimals
  std::optional<int64_t> votes;    // the file's `votes` column, if present and set
  std::optional<int64_t> score;    // the file's `score` column, if present and set
  std::optional<int> selected;     // the file's `selected` column (0/1/2/3), if set
  std::vector<std::string> cells;  // aligned with Election::project_columns
  bool operator==(const Project&) const = default;
};

struct Voter {
  std::string id;
  std::vector<int32_t> vote;       // project indices in ballot order (rank order if ordinal)
  std::vector<int64_t> points;     // aligned with `vote`; empty unless the file has points
  std::vector<std::string> cells;  // aligned with Election::voter_columns
  bool operator==(const Voter&) const = default;
};

struct Election {
  std::vector<std::pair<std::string, std::string>> meta;  // in file order
  VoteType vote_type = VoteType::kApproval;
  int cost_decimals = 0;
  int64_t budget = 0;  // in cost units
  std::vector<std::string> project_columns;
  std::vector<std::string> voter_columns;
  std::vector<Project> projects;
  std::vector<Voter> voters;

  bool operator==(const Election&) const = default;

  // The META value for `key`, if present.
  std::optional<std::string> Meta(std::string_view key) const;
  // Index of the project with this id, or -1.
  int FindProject(std::string_view id) const;
  // `units` as a decimal string in the currency ("1250000", "12.50").
  std::string FormatMoney(int64_t units) const;
  // True if ballots carry points (cumulative, scoring).
  bool HasPoints() const {
    return vote_type == VoteType::kCumulative || vote_type == VoteType::kScoring;
  }
};

// Ballot limits stated in META, each present only if the file states it. Lengths
// count projects on a ballot; sum_cost is in cost units; points limits apply to
// cumulative and scoring ballots.
struct BallotLimits {
  std::optional<int64_t> min_length, max_length;
  std::optional<int64_t> min_sum_cost, max_sum_cost;
  std::optional<int64_t> min_points, max_points;
  std::optional<int64_t> min_sum_points, max_sum_points;
};

// Reads the limits from META. Errors: kInvalidArgument if a limit is not a number.
Result<BallotLimits> ReadBallotLimits(const Election& election);

// For each limit present, the number of ballots breaking it, as (META key, count),
// in the order of BallotLimits' fields. Real files do contain such ballots (paper
// ballots, data cleaning); the rules count every ballot as cast.
std::vector<std::pair<std::string, int64_t>> CountLimitViolations(const Election& election,
                                                                  const BallotLimits& limits);

// Parses a pabulib file held in memory. `file_name` is used only in error messages,
// which read "FILE:LINE: what is wrong". On error nothing partial is returned.
// Accepts a byte-order mark, CRLF line ends, quoted cells (with "" escapes, also over
// several lines), decimal commas or points in costs and budget, `None` or empty
// optional cells, empty ballots and any column order.
// Errors: kInvalidArgument for any malformed content.
Result<Election> ParsePabulib(std::string_view text, std::string_view file_name);

// Writes `election` in pabulib format. ParsePabulib(WritePabulib(e)) == e for every
// election ParsePabulib returned.
std::string WritePabulib(const Election& election);

}  // namespace communitise::pb

#endif  // COMMUNITISE_PB_ELECTION_H_
