// LEXIMIN selection (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021): the
// distribution over quota-feasible panels that maximises the smallest selection
// probability, then the second smallest, and so on.
//
// Column generation over agent types (see AgentTypes): a master LP over the panels
// found so far maximises the minimum probability z of the types not yet fixed, subject
// to the fixed types keeping their probabilities; its row duals weight a pricing
// problem — a panel maximising the dual-weighted count — answered first by a cheap
// exchange search from the best known panels and, when that finds nothing, by the
// exact integer programme, which also certifies that a stage is finished. Types whose
// dual is positive at the end of a stage are tight in every optimum and are fixed at z.
//
// Randomness: none. Clock: none. Thread safety: the solvers are used by one thread.
// Errors: kInvalidArgument when no panel meets the quotas (run CheckFeasibility for a
// diagnosis); kUnavailable when a solver call fails or `stop` asked to stop; kInternal
// on numerical failure.
#ifndef COMMUNITISE_SORTITION_LEXIMIN_H_
#define COMMUNITISE_SORTITION_LEXIMIN_H_

#include <functional>

#include "communitise/core/result.h"
#include "communitise/sortition/model.h"
#include "communitise/sortition/solver.h"

namespace communitise::sortition {

// A distribution over panels given as type compositions. A panel is drawn by picking a
// composition with its weight, then for each type `counts[t]` of its members uniformly
// (see lottery.h); every person's probability is therefore the expected count of their
// type divided by the type's size.
struct Distribution {
  AgentTypes types;
  std::vector<Composition> panels;
  std::vector<double> weights;        // sum to 1
  std::vector<double> probabilities;  // per person, sum to panel size
  double min_probability = 0;
  double max_probability = 0;
};

struct LeximinProgress {
  int stage = 0;
  int round = 0;
  int panels = 0;       // columns in the master LP
  int fixed_types = 0;
  int types = 0;
  double value = 0;     // master LP's current minimum probability of unfixed types
  double bound = 1;     // best upper bound on the stage optimum so far (Lagrangian)
  double gap() const { return bound - value; }
};

struct LeximinStats {
  int stages = 0;
  int rounds = 0;
  int lp_solves = 0;
  int ip_solves = 0;
  int heuristic_panels = 0;  // columns found by the exchange search
  int ip_panels = 0;         // columns found by the integer programme
};

struct LeximinOptions {
  // A panel improves the master LP when its reduced value exceeds this.
  double improvement_tolerance = 1e-7;
  // A type is fixed when its dual (normalised to sum 1 over unfixed types) exceeds this.
  double fix_tolerance = 1e-6;
  // How many of the best known panels the exchange search starts from per round.
  int search_starts = 6;
  std::function<void(const LeximinProgress&)> progress;
  // Asked before every round of column generation; true stops the computation with
  // kUnavailable ("stopped before it finished"). Lets a caller cancel a long run.
  std::function<bool()> stop;
};

struct LeximinResult {
  Distribution distribution;
  LeximinStats stats;
};

// REQUIRES: `lp` holds no rows or columns.
Result<LeximinResult> Leximin(const Problem& problem, LpSolver& lp, MipSolver& mip,
                              const LeximinOptions& options = {});

// Per-person probabilities implied by a distribution (expected count / type size).
std::vector<double> PersonProbabilities(const Problem& problem, const AgentTypes& types,
                                        const std::vector<Composition>& panels,
                                        const std::vector<double>& weights);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_LEXIMIN_H_
