// Whether any panel meets the quotas, and if not, the smallest change to the quotas
// that makes selection possible.
//
// The relaxation is an integer programme over agent types: counts x_t as in pricing,
// plus for each quota value a lowering l_v of its min and a raising u_v of its max
// (bounded by min_flex/max_flex when the quotas give them), minimising Σ (l_v + u_v) —
// the fewest seats by which the quotas must bend. The panel it returns is a witness
// that the relaxed quotas are feasible. The conflicts list the values that had to
// bend, with the facts behind each (how many are in the pool, what the category's
// minimums and maximums add up to).
//
// Errors: kUnavailable when the solver fails. An infeasible problem is a report, not
// an error. Thread safety: the solver is used by one thread.
#ifndef COMMUNITISE_SORTITION_FEASIBILITY_H_
#define COMMUNITISE_SORTITION_FEASIBILITY_H_

#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/sortition/model.h"
#include "communitise/sortition/solver.h"

namespace communitise::sortition {

struct QuotaChange {
  std::string category;
  std::string value;
  int old_min = 0, old_max = 0;
  int new_min = 0, new_max = 0;
};

struct FeasibilityReport {
  bool feasible = false;
  // Set when infeasible and some relaxation within the flex bounds works.
  bool relaxable = false;
  std::vector<QuotaChange> changes;
  std::vector<std::string> conflicts;  // one sentence per value in conflict
  Quotas relaxed;                      // the quotas with `changes` applied
  std::vector<int> witness;            // a panel (type counts) meeting `relaxed`
  std::string summary;
};

Result<FeasibilityReport> CheckFeasibility(const Problem& problem, MipSolver& mip);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_FEASIBILITY_H_
