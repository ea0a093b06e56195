// Test support: small problems built in code, and a brute-force integer programming
// solver that enumerates every integer point, so the algorithms can be checked apart
// from COIN-OR on tiny models.
#ifndef COMMUNITISE_SORTITION_TEST_UTIL_H_
#define COMMUNITISE_SORTITION_TEST_UTIL_H_

#include <cmath>
#include <string>
#include <vector>

#include "communitise/sortition/model.h"
#include "communitise/sortition/solver.h"

namespace communitise::sortition::testing {

// Categories given as {name, {{value, min, max}, …}}; people as value names per category.
struct QuotaSpec {
  std::string category;
  std::vector<std::tuple<std::string, int, int>> values;
};

inline Problem MakeProblem(const std::vector<QuotaSpec>& spec,
                           const std::vector<std::vector<std::string>>& people, int k,
                           const std::vector<std::string>& households = {}) {
  Problem p;
  for (const auto& q : spec) {
    Category c{q.category, {}};
    for (const auto& [name, lo, hi] : q.values) c.values.push_back({name, lo, hi, {}, {}});
    p.quotas.categories.push_back(std::move(c));
  }
  for (size_t i = 0; i < people.size(); ++i) {
    Person person;
    person.id = "p" + std::to_string(i + 1);
    for (size_t c = 0; c < spec.size(); ++c) {
      person.values.push_back(p.quotas.categories[c].FindValue(people[i][c]));
    }
    if (i < households.size()) person.household = households[i];
    p.people.push_back(std::move(person));
  }
  p.panel_size = k;
  p.one_per_household = !households.empty();
  return p;
}

// Exhaustive search over integer columns (continuous columns are not supported).
class EnumeratingMipSolver final : public MipSolver {
 public:
  MipSolution Solve(const MipModel& m) override {
    MipSolution out;
    out.status.call = CallStatus::kOk;
    out.status.model = ModelStatus::kInfeasible;
    const int n = m.num_columns();
    std::vector<double> x(n);
    for (int j = 0; j < n; ++j) x[j] = std::ceil(m.col_lower[j]);
    bool found = false;
    double best = 0;
    for (;;) {
      bool ok = true;
      for (size_t r = 0; r < m.rows.size() && ok; ++r) {
        double s = 0;
        for (const auto& [c, v] : m.rows[r]) s += v * x[c];
        ok = s >= m.row_lower[r] - 1e-9 && s <= m.row_upper[r] + 1e-9;
      }
      if (ok) {
        double obj = 0;
        for (int j = 0; j < n; ++j) obj += m.cost[j] * x[j];
        if (!found || (m.maximise ? obj > best + 1e-12 : obj < best - 1e-12)) {
          found = true;
          best = obj;
          out.x = x;
        }
      }
      int j = 0;
      while (j < n && x[j] + 1 > m.col_upper[j] + 1e-9) {
        x[j] = std::ceil(m.col_lower[j]);
        ++j;
      }
      if (j == n) break;
      x[j] += 1;
    }
    if (found) {
      out.status.model = ModelStatus::kOptimal;
      out.objective = best;
    }
    return out;
  }
};

}  // namespace communitise::sortition::testing

#endif  // COMMUNITISE_SORTITION_TEST_UTIL_H_
