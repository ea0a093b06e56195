// Rules that turn an Election into the set of funded projects.
//
// Every function is pure: it reads the Election and returns an Outcome; it keeps no
// state and is safe to call from many threads at once. Arithmetic that decides an
// outcome is exact (64-bit integers, or GMP rationals); where a rule uses a
// floating-point fast path, every decision it takes is either certified by a margin
// far above the worst-case rounding error or re-taken with exact rationals.
//
// Tie-breaking (all rules): when two projects are exactly tied, the one whose
// project_id is smaller as a byte string comes first ("10" < "9"), as in pabutools'
// default lexicographic tie-breaking. Rule-specific details are on each function.
//
// Errors: kInvalidArgument when a rule does not apply to the election (points
// utility on ballots without points, Phragmén on non-approval-like ballots, a
// threshold rule without a threshold).
#ifndef COMMUNITISE_PB_RULES_H_
#define COMMUNITISE_PB_RULES_H_

#include <gmpxx.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/pb/election.h"

namespace communitise::pb {

// How a voter's satisfaction with a funded project is measured.
//  kCost: the project's cost if the voter supports it (pabutools Cost_Sat);
//  kApproval: 1 if the voter supports it (Cardinality_Sat);
//  kPoints: the points the voter gave it (cumulative / scoring ballots only).
// A voter supports a project when the ballot lists it (with positive points for kPoints).
enum class Utility { kCost, kApproval, kPoints };

enum class Completion {
  kNone,
  kAdd1,         // pabutools: per-voter budget B/n, +1 currency unit per step; stop when
                 // the outcome is exhaustive; if a step overspends return the previous one
  kAdd1Checker,  // pabulib checker / equalshares.net: MES at B/n, then per-voter budgets
                 // floor(B/n)+1, +2, ...; accept each outcome costing at most B, stop at
                 // the first that overspends
  kUtilitarian,  // MES at B/n, then greedy by number of supporters over what remains
};

enum class GreedyVariant {
  kSkip,       // by votes, skip projects that do not fit ("greedy")
  kNoSkip,     // by votes, stop at the first project that does not fit ("greedy-no-skip")
  kThreshold,  // kSkip restricted to projects whose votes reach the META
               // min_project_score_threshold ("greedy-threshold")
  kExclusive,  // kSkip that also skips a project excluded by one already funded
               // ("greedy-exclusive"); the META threshold applies if the file states one
};

// One project's story in an outcome, for explanations.
struct ProjectStory {
  bool selected = false;
  int rank = 0;          // greedy: position in the order considered (1-based); MES and
                         // Phragmén: round in which it was funded (0 if never)
  std::string detail;    // human-readable reason
};

struct Outcome {
  std::string rule;              // e.g. "greedy", "mes/cost/add1"
  std::vector<int> selected;     // project indices, in the order the rule funded them
  int64_t total_cost = 0;        // cost units of the election
  std::vector<ProjectStory> stories;  // one per project
  // MES only: the per-voter budget of the run that produced `selected`, how many MES
  // runs the completion made, how many of those were near ties for double precision
  // settled in extended precision, and how many needed exact rational arithmetic.
  mpq_class per_voter_budget;
  int mes_runs = 0;
  int precise_runs = 0;
  int exact_runs = 0;
  // MES add1 only: partial runs that follow a fixed sequence of funded projects to
  // settle a jump's certificate (each costs a fraction of a run).
  int mes_passes = 0;
  // Phragmén only: the voters' (equal) load after each round; never decreases.
  std::vector<mpq_class> phragmen_loads;
};

// Project ids of outcome.selected, sorted as byte strings.
std::vector<std::string> SortedSelectedIds(const Election& election, const Outcome& outcome);

// Votes per project counted from the ballots: number of supporters for approval and
// choose-1 ballots; sum of points for cumulative and scoring ballots; for ordinal
// ballots the positional score (L points for rank 1, L - 1 for rank 2, ..., where L
// is META max_length or the longest ballot, whichever is larger).
std::vector<int64_t> CountVotes(const Election& election);

// Greedy by votes (CountVotes, or the file's column when `use_file_counts` and every
// project has one: `votes` for approval and choose-1, `score` otherwise). Order: votes descending, then
// project_id. Exact integer arithmetic.
//
// Exclusions (kExclusive): cities fund at most one of two projects that concern the
// same place. pabulib states such pairs only in prose comments, so the engine reads
// them from an optional PROJECTS column `excludes` (a comma list of project ids that
// cannot be funded together with this one; the relation is symmetric) and from
// `exclusions` (pairs of project ids). Errors: kInvalidArgument for an unknown id.
struct GreedyOptions {
  GreedyVariant variant = GreedyVariant::kSkip;
  bool use_file_counts = false;
  std::optional<int64_t> threshold;  // overrides META min_project_score_threshold
  std::vector<std::pair<std::string, std::string>> exclusions;  // kExclusive only
};
Result<Outcome> Greedy(const Election& election, const GreedyOptions& options);

// pabutools greedy_utilitarian_welfare: projects ordered by total satisfaction per
// unit of cost, descending (exact rational comparison by cross-multiplication;
// zero-cost projects with support first, projects nobody supports last), ties by
// project_id; each project is funded if it still fits.
Result<Outcome> GreedyWelfare(const Election& election, Utility utility);

// Method of Equal Shares (pabutools method_of_equal_shares semantics). Each round
// funds the affordable project with the smallest price per unit of satisfaction rho
// (supporter i pays min(budget_i, rho * u_i)); exact ties go to the smaller project_id.
// Projects with support and zero cost are funded first, as pabutools does.
// The add1 completions raise the per-voter budget one currency unit at a time; a run
// at a later budget that certifies every budget in between gives the same outcome
// lets them jump over stretches of equal outcomes (mes.cpp states why that is exact).
// `max_runs` > 0 bounds the number of MES runs (kUnavailable when reached), 0 means no
// bound.
Result<Outcome> EqualShares(const Election& election, Utility utility, Completion completion,
                            int max_runs = 0);

// Test hook: the same rule computed with exact rationals only (no floating-point
// filter). Slow on large elections.
Result<Outcome> EqualSharesExactOnly(const Election& election, Utility utility,
                                     Completion completion);

// Test hook: the same rule with the add1 completions making one run per currency unit
// (no jumps).
Result<Outcome> EqualSharesStepByStep(const Election& election, Utility utility,
                                      Completion completion);

// Sequential Phragmén (pabutools sequential_phragmen): voters earn money continuously;
// each round funds the project whose supporters can first pay for it, i.e. minimal
// (cost + sum of supporters' loads) / supporters. Among exactly tied projects, if any
// does not fit the budget the rule stops; otherwise the smallest project_id is funded.
// Projects costing more than the budget are never considered. Approval-like ballots
// (approval, choose-1, ordinal treated as approval of the ranked projects).
Result<Outcome> SequentialPhragmen(const Election& election);

// Maximal utilitarian welfare: a set of projects within the budget maximising total
// satisfaction, found by exact branch and bound on integers. Among optimal sets the
// first found when projects are tried in order of welfare per cost (then id),
// including before excluding, is returned.
Result<Outcome> MaxWelfare(const Election& election, Utility utility);

}  // namespace communitise::pb

#endif  // COMMUNITISE_PB_RULES_H_
