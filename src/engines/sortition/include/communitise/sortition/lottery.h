// The public lottery that turns a distribution into a panel, and replacement of a
// panellist who drops out.
//
// DrawPanel(problem, distribution, seed) with Rng(seed) (random.h):
//   1. u = Unit(); the panel composition is the first i (in the distribution's published
//      order) whose cumulative weight w_0 + … + w_i exceeds u (the last one if rounding
//      leaves u above the total);
//   2. for each type t in ascending order with c = counts[t] > 0, take its members in
//      ascending pool order m_0 … m_{n−1} and run c steps of Fisher–Yates: for j in
//      0 … c−1, r = j + Below(n − j), swap m_j and m_r; the first c are selected.
// The panel is reported in pool order. Same seed and distribution, same panel.
//
// Replace(problem, panel, dropout, seed): the candidates are everyone not on the panel
// (and, under the household rule, not sharing a household with a remaining panellist)
// whose entry in place of the dropout keeps every quota. Among them the ones whose
// features differ from the dropout's in the fewest categories are kept — so the panel's
// make-up moves as little as the quotas allow — and one of those is drawn uniformly
// with Rng(seed).Below(count), in pool order. The explanation says all of this in words.
//
// Errors: kInvalidArgument for a dropout not on the panel or a distribution that does
// not fit the problem; kConflict when no one can replace the dropout within the quotas.
// Thread safety: pure functions.
#ifndef COMMUNITISE_SORTITION_LOTTERY_H_
#define COMMUNITISE_SORTITION_LOTTERY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/sortition/leximin.h"
#include "communitise/sortition/model.h"

namespace communitise::sortition {

struct Draw {
  int composition = -1;   // index into distribution.panels
  std::vector<int> panel; // indices into problem.people, ascending
};

Result<Draw> DrawPanel(const Problem& problem, const Distribution& distribution,
                       uint64_t seed);

struct Replacement {
  int person = -1;              // index into problem.people
  std::vector<int> panel;       // the new panel, ascending
  int candidates = 0;           // how many were equally eligible
  int differing_categories = 0; // categories where the replacement differs
  std::string explanation;
};

Result<Replacement> Replace(const Problem& problem, const std::vector<int>& panel,
                            int dropout, uint64_t seed);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_LOTTERY_H_
