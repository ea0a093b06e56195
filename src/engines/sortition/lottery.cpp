#include "communitise/sortition/lottery.h"

#include <algorithm>
#include <set>

#include "communitise/sortition/random.h"

namespace communitise::sortition {

Result<Draw> DrawPanel(const Problem& problem, const Distribution& distribution,
                       uint64_t seed) {
  const AgentTypes& types = distribution.types;
  if (distribution.panels.empty() ||
      distribution.panels.size() != distribution.weights.size() ||
      types.type_of.size() != problem.people.size()) {
    return Error::InvalidArgument("The distribution does not fit this pool");
  }
  Rng rng(seed);
  const double u = rng.Unit();
  Draw d;
  double cumulative = 0;
  d.composition = static_cast<int>(distribution.panels.size()) - 1;
  for (size_t i = 0; i < distribution.weights.size(); ++i) {
    cumulative += distribution.weights[i];
    if (cumulative > u) {
      d.composition = static_cast<int>(i);
      break;
    }
  }
  const Composition& counts = distribution.panels[d.composition];
  if (static_cast<int>(counts.size()) != types.size()) {
    return Error::InvalidArgument("The distribution does not fit this pool");
  }
  for (int t = 0; t < types.size(); ++t) {
    const int c = counts[t];
    if (c == 0) continue;
    std::vector<int> m = types.members[t];
    if (c > static_cast<int>(m.size())) {
      return Error::InvalidArgument("The distribution does not fit this pool");
    }
    for (int j = 0; j < c; ++j) {
      const int r = j + static_cast<int>(rng.Below(m.size() - j));
      std::swap(m[j], m[r]);
      d.panel.push_back(m[j]);
    }
  }
  std::sort(d.panel.begin(), d.panel.end());
  return d;
}

Result<Replacement> Replace(const Problem& problem, const std::vector<int>& panel,
                            int dropout, uint64_t seed) {
  if (std::find(panel.begin(), panel.end(), dropout) == panel.end()) {
    return Error::InvalidArgument("The person who dropped out is not on the panel");
  }
  const auto& cats = problem.quotas.categories;
  const Person& out = problem.people[dropout];
  std::set<int> on_panel(panel.begin(), panel.end());
  std::set<std::string> households;
  for (int i : panel) {
    if (i != dropout && !problem.people[i].household.empty()) {
      households.insert(problem.people[i].household);
    }
  }
  std::vector<int> rest;
  for (int i : panel) {
    if (i != dropout) rest.push_back(i);
  }
  int best_diff = static_cast<int>(cats.size()) + 1;
  std::vector<int> best;
  for (size_t i = 0; i < problem.people.size(); ++i) {
    const int cand = static_cast<int>(i);
    if (on_panel.count(cand) || cand == dropout) continue;
    const Person& p = problem.people[i];
    if (problem.one_per_household && !p.household.empty() && households.count(p.household)) {
      continue;
    }
    std::vector<int> trial = rest;
    trial.push_back(cand);
    if (!PanelFeasible(problem, trial)) continue;
    int diff = 0;
    for (size_t c = 0; c < cats.size(); ++c) diff += p.values[c] != out.values[c];
    if (diff < best_diff) {
      best_diff = diff;
      best.clear();
    }
    if (diff == best_diff) best.push_back(cand);
  }
  if (best.empty()) {
    return Error::Conflict("No one outside the panel can replace " + out.id +
                           " without breaking a quota");
  }
  Rng rng(seed);
  Replacement r;
  r.person = best[rng.Below(best.size())];
  r.candidates = static_cast<int>(best.size());
  r.differing_categories = best_diff;
  r.panel = rest;
  r.panel.push_back(r.person);
  std::sort(r.panel.begin(), r.panel.end());
  const Person& in = problem.people[r.person];
  std::string how;
  if (best_diff == 0) {
    how = "has the same value as " + out.id + " in every quota category";
  } else {
    how = "differs from " + out.id + " in " + std::to_string(best_diff) +
          " categor" + (best_diff == 1 ? "y" : "ies") + " (";
    bool first = true;
    for (size_t c = 0; c < cats.size(); ++c) {
      if (in.values[c] == out.values[c]) continue;
      how += (first ? "" : ", ") + cats[c].name + ": " + cats[c].values[out.values[c]].name +
             " -> " + cats[c].values[in.values[c]].name;
      first = false;
    }
    how += "), the fewest possible while keeping every quota";
  }
  r.explanation = in.id + " replaces " + out.id + ": " + in.id + " " + how +
                  ". They were drawn with seed " + std::to_string(seed) +
                  " uniformly from the " + std::to_string(r.candidates) +
                  " respondents not on the panel who are equally close" +
                  (problem.one_per_household ? " and share no household with a panellist"
                                             : "") +
                  "; the new panel meets every quota.";
  return r;
}

}  // namespace communitise::sortition
