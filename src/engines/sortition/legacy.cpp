#include "communitise/sortition/legacy.h"

#include <algorithm>
#include <unordered_map>

namespace communitise::sortition {
namespace {

enum class Attempt { kOk, kRetry };

// Tight quotas make most greedy attempts fail (one in ten succeeds on the Scottish
// fixture); an estimate must not stop at an unlucky streak.
constexpr int kEstimateAttempts = 2000;

class LegacyState {
 public:
  LegacyState(const Problem& problem, const std::vector<std::vector<int>>& households)
      : p_(problem), households_(households), alive_(problem.people.size(), true) {
    const auto& cats = p_.quotas.categories;
    remaining_.resize(cats.size());
    selected_.resize(cats.size());
    for (size_t c = 0; c < cats.size(); ++c) {
      remaining_[c].assign(cats[c].values.size(), 0);
      selected_[c].assign(cats[c].values.size(), 0);
    }
    for (const Person& person : p_.people) {
      for (size_t c = 0; c < cats.size(); ++c) ++remaining_[c][person.values[c]];
    }
    alive_count_ = static_cast<int>(p_.people.size());
  }

  Attempt Run(Rng& rng, std::vector<int>& panel) {
    const auto& cats = p_.quotas.categories;
    for (size_t c = 0; c < cats.size(); ++c) {
      for (size_t v = 0; v < cats[c].values.size(); ++v) {
        if (cats[c].values[v].max == 0 && !DeleteAllWith(c, v)) return Attempt::kRetry;
      }
    }
    for (int count = 0; count < p_.panel_size; ++count) {
      double best = -100.0;
      int best_c = -1, best_v = -1;
      for (size_t c = 0; c < cats.size(); ++c) {
        for (size_t v = 0; v < cats[c].values.size(); ++v) {
          const int needed = std::max(0, cats[c].values[v].min - selected_[c][v]);
          if (remaining_[c][v] < needed) return Attempt::kRetry;
          if (remaining_[c][v] == 0 || cats[c].values[v].max == 0) continue;
          const double ratio = static_cast<double>(needed) / remaining_[c][v];
          if (ratio > best) {
            best = ratio;
            best_c = static_cast<int>(c);
            best_v = static_cast<int>(v);
          }
        }
      }
      if (best_c < 0) return Attempt::kRetry;
      // The position-th remaining person with that value, in pool order.
      int position = static_cast<int>(rng.Below(remaining_[best_c][best_v]));
      int chosen = -1;
      for (size_t i = 0; i < p_.people.size(); ++i) {
        if (alive_[i] && p_.people[i].values[best_c] == best_v && position-- == 0) {
          chosen = static_cast<int>(i);
          break;
        }
      }
      if (chosen < 0) return Attempt::kRetry;
      panel.push_back(chosen);
      Remove(chosen);
      for (size_t c = 0; c < cats.size(); ++c) ++selected_[c][p_.people[chosen].values[c]];
      if (p_.one_per_household) {
        const auto it = household_of_.find(chosen);
        if (it != household_of_.end()) {
          for (int other : households_[it->second]) {
            if (alive_[other]) Remove(other);
          }
        }
      }
      for (size_t c = 0; c < cats.size(); ++c) {
        const int v = p_.people[chosen].values[c];
        if (selected_[c][v] == cats[c].values[v].max && !DeleteAllWith(c, v)) {
          return Attempt::kRetry;
        }
      }
      if (count < p_.panel_size - 1 && alive_count_ == 0) return Attempt::kRetry;
    }
    return PanelFeasible(p_, panel) ? Attempt::kOk : Attempt::kRetry;
  }

  void IndexHouseholds() {
    for (size_t h = 0; h < households_.size(); ++h) {
      for (int m : households_[h]) household_of_[m] = static_cast<int>(h);
    }
  }

 private:
  void Remove(int i) {
    alive_[i] = false;
    --alive_count_;
    for (size_t c = 0; c < p_.quotas.categories.size(); ++c) {
      --remaining_[c][p_.people[i].values[c]];
    }
  }

  // Removes everyone left with value v of category c; false when that leaves some
  // value unable to reach its minimum.
  bool DeleteAllWith(size_t c, size_t v) {
    for (size_t i = 0; i < p_.people.size(); ++i) {
      if (alive_[i] && p_.people[i].values[c] == static_cast<int>(v)) Remove(i);
    }
    const auto& cats = p_.quotas.categories;
    for (size_t cc = 0; cc < cats.size(); ++cc) {
      for (size_t vv = 0; vv < cats[cc].values.size(); ++vv) {
        if (remaining_[cc][vv] + selected_[cc][vv] < cats[cc].values[vv].min) return false;
      }
    }
    return true;
  }

  const Problem& p_;
  const std::vector<std::vector<int>>& households_;
  std::unordered_map<int, int> household_of_;
  std::vector<bool> alive_;
  int alive_count_ = 0;
  std::vector<std::vector<int>> remaining_, selected_;
};

std::vector<std::vector<int>> Households(const Problem& problem) {
  std::unordered_map<std::string, int> index;
  std::vector<std::vector<int>> out;
  if (!problem.one_per_household) return out;
  for (size_t i = 0; i < problem.people.size(); ++i) {
    const std::string& h = problem.people[i].household;
    if (h.empty()) continue;
    auto [it, inserted] = index.emplace(h, static_cast<int>(out.size()));
    if (inserted) out.push_back({});
    out[it->second].push_back(static_cast<int>(i));
  }
  return out;
}

Result<std::vector<int>> SelectWith(const Problem& problem,
                                    const std::vector<std::vector<int>>& households,
                                    Rng& rng, int max_attempts, int& failed) {
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    LegacyState state(problem, households);
    state.IndexHouseholds();
    std::vector<int> panel;
    if (state.Run(rng, panel) == Attempt::kOk) {
      std::sort(panel.begin(), panel.end());
      return panel;
    }
    ++failed;
  }
  return Error::InvalidArgument("The legacy algorithm found no panel meeting the quotas in " +
                                std::to_string(max_attempts) + " attempts");
}

}  // namespace

Result<std::vector<int>> LegacySelect(const Problem& problem, Rng& rng, int max_attempts) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  int failed = 0;
  return SelectWith(problem, Households(problem), rng, max_attempts, failed);
}

Result<LegacyEstimate> EstimateLegacy(const Problem& problem, uint64_t seed, int draws) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  if (draws <= 0) return Error::InvalidArgument("The number of draws must be positive");
  const auto households = Households(problem);
  Rng rng(seed);
  LegacyEstimate e;
  std::vector<int> counts(problem.people.size(), 0);
  for (int d = 0; d < draws; ++d) {
    ASSIGN_OR_RETURN(auto panel, SelectWith(problem, households, rng, kEstimateAttempts,
                                             e.failed_attempts));
    for (int i : panel) ++counts[i];
  }
  e.draws = draws;
  e.probabilities.resize(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    e.probabilities[i] = static_cast<double>(counts[i]) / draws;
  }
  e.min_probability = *std::min_element(e.probabilities.begin(), e.probabilities.end());
  e.max_probability = *std::max_element(e.probabilities.begin(), e.probabilities.end());
  return e;
}

}  // namespace communitise::sortition
