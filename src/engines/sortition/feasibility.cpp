#include "communitise/sortition/feasibility.h"

#include <cmath>

#include "panel_ip.h"

namespace communitise::sortition {

Result<FeasibilityReport> CheckFeasibility(const Problem& problem, MipSolver& mip) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  const AgentTypes types = GroupTypes(problem);
  internal::PanelIp ip = internal::BuildPanelIp(problem, types, /*free_quotas=*/true);
  const auto& cats = problem.quotas.categories;
  const int k = problem.panel_size;
  // Relaxation columns: lowering of each min, raising of each max.
  std::vector<std::vector<std::pair<int, int>>> relax_col(cats.size());
  for (size_t c = 0; c < cats.size(); ++c) {
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      const FeatureValue& fv = cats[c].values[v];
      const int floor = fv.min_flex.value_or(0);
      const int ceiling = std::max(fv.max, fv.max_flex.value_or(k));
      const int lower = ip.model.AddColumn(1.0, 0.0, std::max(0, fv.min - floor), true);
      const int raise = ip.model.AddColumn(1.0, 0.0, std::max(0, ceiling - fv.max), true);
      relax_col[c].push_back({lower, raise});
      SparseVector at_least = ip.model.rows[ip.quota_row[c][v]];
      at_least.push_back({lower, 1.0});
      ip.model.AddRow(std::move(at_least), fv.min, kInfinity);
      SparseVector at_most = ip.model.rows[ip.quota_row[c][v]];
      at_most.push_back({raise, -1.0});
      ip.model.AddRow(std::move(at_most), -kInfinity, fv.max);
    }
  }
  ip.model.maximise = false;
  MipSolution sol = mip.Solve(ip.model);
  if (sol.status.call != CallStatus::kOk) {
    return Error::Unavailable("The integer programming solver failed", sol.status.message);
  }
  FeasibilityReport report;
  report.relaxed = problem.quotas;
  if (sol.status.model == ModelStatus::kInfeasible) {
    report.summary = "No panel of " + std::to_string(k) +
                     " can be chosen from this pool even with the quotas relaxed as far as "
                     "their flexible bounds allow" +
                     (problem.one_per_household ? " (one person per household)" : "") +
                     ": the pool holds too few eligible people.";
    return report;
  }
  if (sol.status.model != ModelStatus::kOptimal) {
    return Error::Internal("relaxation IP not solved to optimality");
  }
  report.relaxable = true;
  for (int t = 0; t < types.size(); ++t) {
    report.witness.push_back(static_cast<int>(std::lround(sol.x[t])));
  }
  for (size_t c = 0; c < cats.size(); ++c) {
    int sum_min = 0, sum_max = 0;
    for (const auto& fv : cats[c].values) {
      sum_min += fv.min;
      sum_max += fv.max;
    }
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      const FeatureValue& fv = cats[c].values[v];
      const int lower = static_cast<int>(std::lround(sol.x[relax_col[c][v].first]));
      const int raise = static_cast<int>(std::lround(sol.x[relax_col[c][v].second]));
      if (lower == 0 && raise == 0) continue;
      QuotaChange change{cats[c].name, fv.name, fv.min, fv.max, fv.min - lower, fv.max + raise};
      report.relaxed.categories[c].values[v].min = change.new_min;
      report.relaxed.categories[c].values[v].max = change.new_max;
      int in_pool = 0;
      for (const Person& p : problem.people) in_pool += p.values[c] == static_cast<int>(v);
      std::string why = cats[c].name + "/" + fv.name + ": ";
      if (lower > 0) {
        why += "min " + std::to_string(fv.min) + " must fall to " +
               std::to_string(change.new_min);
      } else {
        why += "max " + std::to_string(fv.max) + " must rise to " +
               std::to_string(change.new_max);
      }
      // The facts behind the conflict, most specific first.
      std::string terms;
      for (const auto& other : cats[c].values) {
        terms += (terms.empty() ? "" : " + ") + other.name + " " +
                 std::to_string(lower > 0 ? other.min : other.max);
      }
      if (lower > 0 && in_pool < fv.min) {
        why += ": only " + std::to_string(in_pool) + " in the pool";
      } else if (lower > 0 && sum_min > k) {
        why += ": " + cats[c].name + " minimums " + terms + " = " + std::to_string(sum_min) +
               " exceed the panel of " + std::to_string(k);
      } else if (raise > 0 && sum_max < k) {
        why += ": " + cats[c].name + " maximums " + terms + " = " + std::to_string(sum_max) +
               " fall short of the panel of " + std::to_string(k);
      } else {
        why += ": it conflicts with the quotas of other categories (pool has " +
               std::to_string(in_pool) + ")";
      }
      report.conflicts.push_back(std::move(why));
      report.changes.push_back(std::move(change));
    }
  }
  report.feasible = report.changes.empty();
  if (report.feasible) {
    report.summary = "The quotas can be met: a panel of " + std::to_string(k) + " exists.";
    return report;
  }
  Problem relaxed = problem;
  relaxed.quotas = report.relaxed;
  if (!CompositionFeasible(relaxed, types, report.witness)) {
    return Error::Internal("relaxation witness breaks the relaxed quotas");
  }
  int seats = 0;
  for (const auto& ch : report.changes) {
    seats += (ch.old_min - ch.new_min) + (ch.new_max - ch.old_max);
  }
  report.summary = "No panel of " + std::to_string(k) + " meets every quota" +
                   (problem.one_per_household ? " with one person per household" : "") +
                   ". The smallest relaxation moves the quotas by " + std::to_string(seats) +
                   " seat" + (seats == 1 ? "" : "s") + ":";
  for (const auto& ch : report.changes) {
    report.summary += " " + ch.category + "/" + ch.value + " [" + std::to_string(ch.old_min) +
                      "," + std::to_string(ch.old_max) + "] -> [" +
                      std::to_string(ch.new_min) + "," + std::to_string(ch.new_max) + "];";
  }
  report.summary.pop_back();
  report.summary += ".";
  return report;
}

}  // namespace communitise::sortition
