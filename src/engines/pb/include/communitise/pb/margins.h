// Margins: how close each unfunded project came to being funded.
//
// For every project the rule did not fund, two independent questions:
//  - extra supporters: the smallest number k of additional voters, each approving only
//    this project (their satisfaction is measured as the rule measures it), after which
//    the rule funds it;
//  - cost reduction: the smallest reduction of its cost (in cost units) after which
//    the rule funds it.
// How each is searched, and whether the answer is proven minimal, is reported with it:
//  - greedy (by votes, any variant): both exact. Extra votes only move the project
//    earlier in a fixed order and the money left when its turn comes is non-increasing
//    along the order, so every insertion point is tried directly; a cost cut leaves
//    the order and the money left at its turn unchanged. With exclusions, a project
//    excluded by one funded before its turn cannot be funded there at any cost, and
//    the set funded before its turn only grows along the order.
//  - MES, no or utilitarian completion, cost reduction: exact by bisection. With fixed
//    voter budgets, lowering a project's cost never raises its price per unit of
//    satisfaction (the payment q(c) solving sum min(b_i, q) = c is convex with
//    q(0) = 0, so q(c)/c does not grow as c falls) and makes it no harder to afford;
//    rounds before it is bought are unchanged, so once funded it stays funded under a
//    deeper cut. If it is not bought by MES the run is unchanged and the utilitarian
//    top-up walks the same order with the same money, where a cheaper project fits
//    no worse. So "funded" is monotone in the cut.
//  - MES extra supporters (all completions) and MES cost reduction with add1 /
//    add1-checker: new voters change every voter's budget B/n and the completions
//    choose the budget from the outcomes, so no monotonicity holds. k (or the cut) is
//    tried one by one from the smallest value with exact re-runs up to a fixed number
//    of runs; the first success is the exact minimum. Beyond that, a bisection finds a
//    value that works (always exists: enough new voters buy the project alone, a
//    zero cost project is always funded) and it is reported as an upper bound.
//
// Thread safety: pure function. Errors: as the underlying rule.
#ifndef COMMUNITISE_PB_MARGINS_H_
#define COMMUNITISE_PB_MARGINS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"

namespace communitise::pb {

struct MarginRule {
  enum class Kind { kGreedy, kMes } kind = Kind::kGreedy;
  GreedyOptions greedy;                        // for kGreedy
  Utility utility = Utility::kCost;            // for kMes
  Completion completion = Completion::kNone;   // for kMes
};

struct ProjectMargin {
  int project = 0;
  std::optional<int64_t> extra_supporters;  // nullopt: no number of supporters suffices
  bool extra_supporters_exact = true;       // false: an upper bound
  std::optional<int64_t> cost_reduction;    // cost units; nullopt: no cut suffices
  bool cost_reduction_exact = true;
};

// One entry per project not funded by the rule, in project order.
// `max_linear_runs` caps the one-by-one search described above, per project and question.
// `max_total_runs` > 0 bounds the MES runs of the whole computation (an add1 completion
// on a city-size election makes hundreds per trial): each question gets an equal share
// of what is left, and a search that runs out reports the smallest value it knows to
// work (at worst the "alone" count or the full cost) as an upper bound. 0: no bound.
Result<std::vector<ProjectMargin>> ComputeMargins(const Election& election, const MarginRule& rule,
                                                  int max_linear_runs = 24,
                                                  int64_t max_total_runs = 0);

}  // namespace communitise::pb

#endif  // COMMUNITISE_PB_MARGINS_H_
