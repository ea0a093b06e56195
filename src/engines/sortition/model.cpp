#include "communitise/sortition/model.h"

#include <map>
#include <set>
#include <unordered_map>

namespace communitise::sortition {

int Category::FindValue(const std::string& value) const {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].name == value) return static_cast<int>(i);
  }
  return -1;
}

int Quotas::FindCategory(const std::string& name) const {
  for (size_t i = 0; i < categories.size(); ++i) {
    if (categories[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status ValidateProblem(const Problem& problem) {
  const auto& cats = problem.quotas.categories;
  if (cats.empty()) return Error::InvalidArgument("There are no quota categories");
  for (const Category& c : cats) {
    if (c.values.empty()) {
      return Error::InvalidArgument("Category '" + c.name + "' has no values");
    }
    for (const FeatureValue& v : c.values) {
      if (v.min < 0 || v.max < v.min) {
        return Error::InvalidArgument("Quota " + c.name + "/" + v.name + " has min " +
                                      std::to_string(v.min) + " and max " +
                                      std::to_string(v.max));
      }
    }
  }
  if (problem.panel_size <= 0) {
    return Error::InvalidArgument("The panel size must be positive");
  }
  if (problem.panel_size > static_cast<int>(problem.people.size())) {
    return Error::InvalidArgument("The panel size " + std::to_string(problem.panel_size) +
                                  " exceeds the pool of " +
                                  std::to_string(problem.people.size()));
  }
  std::set<std::string> ids;
  for (const Person& p : problem.people) {
    if (!ids.insert(p.id).second) {
      return Error::InvalidArgument("Duplicate respondent id '" + p.id + "'");
    }
    if (p.values.size() != cats.size()) {
      return Error::InvalidArgument("Respondent '" + p.id + "' lacks a category value");
    }
    for (size_t c = 0; c < cats.size(); ++c) {
      if (p.values[c] < 0 || p.values[c] >= static_cast<int>(cats[c].values.size())) {
        return Error::InvalidArgument("Respondent '" + p.id + "' has no valid value for '" +
                                      cats[c].name + "'");
      }
    }
  }
  return Status::Ok();
}

AgentTypes GroupTypes(const Problem& problem) {
  AgentTypes t;
  const int n = static_cast<int>(problem.people.size());
  t.type_of.assign(n, -1);
  std::unordered_map<std::string, std::vector<int>> households;
  if (problem.one_per_household) {
    for (int i = 0; i < n; ++i) {
      const std::string& h = problem.people[i].household;
      if (!h.empty()) households[h].push_back(i);
    }
  }
  std::map<std::vector<int>, int> by_values;
  for (int i = 0; i < n; ++i) {
    const Person& p = problem.people[i];
    bool shared = false;
    if (problem.one_per_household && !p.household.empty()) {
      shared = households[p.household].size() > 1;
    }
    int type;
    if (shared) {
      type = t.size();
      t.members.push_back({});
      t.values.push_back(p.values);
    } else {
      auto [it, inserted] = by_values.try_emplace(p.values, t.size());
      if (inserted) {
        t.members.push_back({});
        t.values.push_back(p.values);
      }
      type = it->second;
    }
    t.members[type].push_back(i);
    t.type_of[i] = type;
  }
  // Households in order of their first member, so the model is deterministic.
  std::vector<std::vector<int>> groups;
  std::set<std::string> seen;
  for (int i = 0; i < n && problem.one_per_household; ++i) {
    const std::string& h = problem.people[i].household;
    if (h.empty() || !seen.insert(h).second) continue;
    const auto& members = households[h];
    if (members.size() < 2) continue;
    std::vector<int> g;
    for (int m : members) g.push_back(t.type_of[m]);
    groups.push_back(std::move(g));
  }
  t.exclusive_groups = std::move(groups);
  return t;
}

bool CompositionFeasible(const Problem& problem, const AgentTypes& types,
                         const Composition& counts) {
  if (static_cast<int>(counts.size()) != types.size()) return false;
  const auto& cats = problem.quotas.categories;
  std::vector<std::vector<int>> tally(cats.size());
  for (size_t c = 0; c < cats.size(); ++c) tally[c].assign(cats[c].values.size(), 0);
  int total = 0;
  for (int t = 0; t < types.size(); ++t) {
    if (counts[t] < 0 || counts[t] > types.count(t)) return false;
    total += counts[t];
    for (size_t c = 0; c < cats.size(); ++c) tally[c][types.values[t][c]] += counts[t];
  }
  if (total != problem.panel_size) return false;
  for (size_t c = 0; c < cats.size(); ++c) {
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      if (tally[c][v] < cats[c].values[v].min || tally[c][v] > cats[c].values[v].max) {
        return false;
      }
    }
  }
  for (const auto& g : types.exclusive_groups) {
    int in = 0;
    for (int t : g) in += counts[t];
    if (in > 1) return false;
  }
  return true;
}

bool PanelFeasible(const Problem& problem, const std::vector<int>& panel) {
  const int n = static_cast<int>(problem.people.size());
  if (static_cast<int>(panel.size()) != problem.panel_size) return false;
  std::set<int> members;
  std::set<std::string> households;
  const auto& cats = problem.quotas.categories;
  std::vector<std::vector<int>> tally(cats.size());
  for (size_t c = 0; c < cats.size(); ++c) tally[c].assign(cats[c].values.size(), 0);
  for (int i : panel) {
    if (i < 0 || i >= n || !members.insert(i).second) return false;
    const Person& p = problem.people[i];
    if (problem.one_per_household && !p.household.empty() &&
        !households.insert(p.household).second) {
      return false;
    }
    for (size_t c = 0; c < cats.size(); ++c) ++tally[c][p.values[c]];
  }
  for (size_t c = 0; c < cats.size(); ++c) {
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      if (tally[c][v] < cats[c].values[v].min || tally[c][v] > cats[c].values[v].max) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace communitise::sortition
