// Profile: the ballots of an Election in the form the rules work on. Voters with
// identical ballots are merged into one group with a weight (their number), so every
// rule's cost grows with the number of distinct ballots, not of voters.
// Internal to the pb library.
#ifndef COMMUNITISE_PB_PROFILE_H_
#define COMMUNITISE_PB_PROFILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"

namespace communitise::pb::internal {

struct Supporter {
  int32_t group;
  int64_t utility;  // > 0
};

struct Profile {
  int64_t num_voters = 0;                       // all voters, empty ballots included
  std::vector<int64_t> weight;                  // per group
  std::vector<std::vector<int32_t>> ballots;    // per group: supported projects
  std::vector<std::vector<Supporter>> supporters;  // per project
  std::vector<int64_t> supporter_count;         // per project: voters supporting it
};

// REQUIRES: utility is kPoints only if election.HasPoints() (else an error).
Result<Profile> BuildProfile(const Election& election, Utility utility);

// Satisfaction of one supporter with project p under `utility` (points given or 1).
inline int64_t UtilityOf(const Election& e, Utility utility, int p, int64_t points) {
  switch (utility) {
    case Utility::kCost: return e.projects[p].cost;
    case Utility::kApproval: return 1;
    case Utility::kPoints: return points;
  }
  return 1;
}

// Project order used for exact ties: byte-wise project_id.
inline bool IdLess(const Election& e, int a, int b) { return e.projects[a].id < e.projects[b].id; }

std::string UtilityName(Utility utility);
std::string CompletionName(Completion completion);

// MES with `completion` on a (possibly modified) profile; used by the margins search.
// Only e.projects, e.budget and e.cost_decimals are read from `e`. `max_runs` > 0
// bounds the MES runs (nullopt when reached); `runs`, if set, is increased by the
// number of runs made.
std::optional<std::vector<int>> MesSelect(const Election& e, const Profile& prof,
                                          Completion completion, int max_runs = 0,
                                          int64_t* runs = nullptr);

// Per project, the projects it excludes (symmetric, ascending): the file's `excludes`
// column and options.exclusions (see GreedyOptions).
Result<std::vector<std::vector<int>>> ReadExclusions(const Election& e,
                                                    const GreedyOptions& options);

// Fills outcome.total_cost and sizes outcome.stories.
void FinishOutcome(const Election& e, Outcome& outcome);

}  // namespace communitise::pb::internal

#endif  // COMMUNITISE_PB_PROFILE_H_
