// The Sortition Foundation's legacy greedy selection (stratification-app,
// sortition-algorithms), kept for comparison with LEXIMIN.
//
// One attempt: remove everyone whose value has max 0; then k times: over every quota
// value in file order compute (min − selected)⁺ / remaining (skipping values with no
// one remaining or max 0; failing when fewer remain than are still needed), take the
// first value with the highest ratio, pick uniformly one of its remaining people (in
// pool order), select them, remove their household (if the rule applies), and remove
// everyone left in any of their values that has just reached its max. An attempt that
// runs out of people or ends outside a quota is retried from scratch, up to
// `max_attempts` times. All randomness comes from the Rng given.
//
// Errors: kInvalidArgument when every attempt failed (quotas too tight for this
// greedy method — LEXIMIN or the feasibility check may still succeed).
// Thread safety: pure functions of their arguments.
#ifndef COMMUNITISE_SORTITION_LEGACY_H_
#define COMMUNITISE_SORTITION_LEGACY_H_

#include <cstdint>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/sortition/model.h"
#include "communitise/sortition/random.h"

namespace communitise::sortition {

// Indices into problem.people, ascending. REQUIRES: ValidateProblem(problem).ok().
Result<std::vector<int>> LegacySelect(const Problem& problem, Rng& rng,
                                      int max_attempts = 100);

struct LegacyEstimate {
  std::vector<double> probabilities;  // per person: selected draws / draws
  int draws = 0;
  int failed_attempts = 0;  // attempts that had to be retried
  double min_probability = 0;
  double max_probability = 0;
};

// Selection frequencies over `draws` independent legacy selections from Rng(seed),
// each allowed up to 2,000 attempts.
Result<LegacyEstimate> EstimateLegacy(const Problem& problem, uint64_t seed, int draws);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_LEGACY_H_
