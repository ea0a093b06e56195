// The selection problem of a resident panel: quotas, the pool of respondents and the
// panel size, plus the grouping of interchangeable respondents into types.
//
// Quotas: each category (e.g. "gender") has values ("female", "male", …), each with an
// inclusive [min, max] count of panellists. Every respondent has exactly one value per
// category (stored as an index into the category's values). A respondent may carry a
// household key; when `one_per_household` is set, no two respondents with the same
// non-empty key may sit on one panel.
//
// Ownership: plain values. Thread safety: immutable use from many threads is safe.
// Errors: ValidateProblem() returns kInvalidArgument naming the broken rule.
#ifndef COMMUNITISE_SORTITION_MODEL_H_
#define COMMUNITISE_SORTITION_MODEL_H_

#include <optional>
#include <string>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::sortition {

struct FeatureValue {
  std::string name;
  int min = 0;
  int max = 0;
  // Sortition Foundation's flexible bounds: how far a relaxation may go. Unset means
  // min may fall to 0 and max may rise to the panel size.
  std::optional<int> min_flex;
  std::optional<int> max_flex;
  bool operator==(const FeatureValue&) const = default;
};

struct Category {
  std::string name;
  std::vector<FeatureValue> values;
  // Index of `value` in `values`, or -1.
  int FindValue(const std::string& value) const;
  bool operator==(const Category&) const = default;
};

struct Quotas {
  std::vector<Category> categories;
  // Index of the category called `name`, or -1.
  int FindCategory(const std::string& name) const;
  bool operator==(const Quotas&) const = default;
};

struct Person {
  std::string id;
  // values[c] indexes quotas.categories[c].values.
  std::vector<int> values;
  // Empty: lives alone as far as the household rule is concerned.
  std::string household;
  // Line of the respondents file the person came from (0 when not read from a file).
  int line = 0;
  bool operator==(const Person&) const = default;
};

struct Problem {
  Quotas quotas;
  std::vector<Person> people;
  int panel_size = 0;
  bool one_per_household = false;
};

// Checks the internal consistency a caller may have broken: value indices in range,
// min <= max, 0 < panel_size <= pool size, unique ids.
Status ValidateProblem(const Problem& problem);

// Respondents who are interchangeable for selection: same value in every category and
// no household constraint tying them to anyone. Respondents who share a household
// with someone (under the household rule) each form a type of their own, so the
// household constraints stay exact. There is a LEXIMIN-optimal distribution giving
// every member of a type the same probability (the optimum is unique and symmetric
// under swapping interchangeable people), so the algorithms work on types and counts.
struct AgentTypes {
  std::vector<std::vector<int>> members;  // type -> person indices, ascending
  std::vector<int> type_of;               // person -> type
  std::vector<std::vector<int>> values;   // type -> value index per category
  // Groups of types of which at most one unit may be selected (one per household).
  std::vector<std::vector<int>> exclusive_groups;
  int size() const { return static_cast<int>(members.size()); }
  int count(int type) const { return static_cast<int>(members[type].size()); }
};

// REQUIRES: ValidateProblem(problem).ok()
AgentTypes GroupTypes(const Problem& problem);

// A panel as a count per type (dense, one entry per type).
using Composition = std::vector<int>;

// True when a panel of these counts meets every quota, has panel_size members, never
// exceeds a type's size and respects the household groups.
bool CompositionFeasible(const Problem& problem, const AgentTypes& types,
                         const Composition& counts);

// True when the given people (indices into problem.people) form a valid panel: right
// size, no one twice, every quota met, household rule kept.
bool PanelFeasible(const Problem& problem, const std::vector<int>& panel);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_MODEL_H_
