#include "communitise/sortition/leximin.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "panel_ip.h"

namespace communitise::sortition {
namespace {

double Dot(const std::vector<double>& w, const Composition& a) {
  double s = 0;
  for (size_t t = 0; t < a.size(); ++t) {
    if (a[t] != 0) s += w[t] * a[t];
  }
  return s;
}

// Exchange search: from a feasible panel, repeatedly swap one member of type a for one
// of type b (keeping every quota and household group) while the weight grows.
class ExchangeSearch {
 public:
  ExchangeSearch(const Problem& problem, const AgentTypes& types)
      : problem_(problem), types_(types), group_of_(types.size(), -1) {
    for (size_t g = 0; g < types.exclusive_groups.size(); ++g) {
      for (int t : types.exclusive_groups[g]) group_of_[t] = static_cast<int>(g);
    }
  }

  Composition Improve(Composition a, const std::vector<double>& w) const {
    const auto& cats = problem_.quotas.categories;
    const int nc = static_cast<int>(cats.size());
    std::vector<std::vector<int>> tally(nc);
    for (int c = 0; c < nc; ++c) tally[c].assign(cats[c].values.size(), 0);
    std::vector<int> group_count(types_.exclusive_groups.size(), 0);
    for (int t = 0; t < types_.size(); ++t) {
      if (a[t] == 0) continue;
      for (int c = 0; c < nc; ++c) tally[c][types_.values[t][c]] += a[t];
      if (group_of_[t] >= 0) group_count[group_of_[t]] += a[t];
    }
    std::vector<int> order(types_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int x, int y) { return w[x] > w[y]; });
    for (int step = 0; step < 4 * problem_.panel_size + 16; ++step) {
      double best = 1e-12;
      int best_out = -1, best_in = -1;
      for (int out = 0; out < types_.size(); ++out) {
        if (a[out] == 0) continue;
        for (int in : order) {
          const double delta = w[in] - w[out];
          if (delta <= best) break;
          if (in == out || a[in] >= types_.count(in)) continue;
          if (!SwapKeepsQuotas(out, in, tally, group_count)) continue;
          best = delta;
          best_out = out;
          best_in = in;
          break;
        }
      }
      if (best_out < 0) break;
      --a[best_out];
      ++a[best_in];
      for (int c = 0; c < nc; ++c) {
        --tally[c][types_.values[best_out][c]];
        ++tally[c][types_.values[best_in][c]];
      }
      if (group_of_[best_out] >= 0) --group_count[group_of_[best_out]];
      if (group_of_[best_in] >= 0) ++group_count[group_of_[best_in]];
    }
    return a;
  }

 private:
  bool SwapKeepsQuotas(int out, int in, const std::vector<std::vector<int>>& tally,
                       const std::vector<int>& group_count) const {
    const auto& cats = problem_.quotas.categories;
    for (size_t c = 0; c < cats.size(); ++c) {
      const int vo = types_.values[out][c];
      const int vi = types_.values[in][c];
      if (vo == vi) continue;
      if (tally[c][vo] - 1 < cats[c].values[vo].min) return false;
      if (tally[c][vi] + 1 > cats[c].values[vi].max) return false;
    }
    const int g = group_of_[in];
    if (g >= 0) {
      const int others = group_count[g] - (group_of_[out] == g ? 1 : 0);
      if (others >= 1) return false;
    }
    return true;
  }

  const Problem& problem_;
  const AgentTypes& types_;
  std::vector<int> group_of_;
};

class ColumnGeneration {
 public:
  ColumnGeneration(const Problem& problem, LpSolver& lp, MipSolver& mip,
                   const LeximinOptions& options)
      : problem_(problem),
        lp_(lp),
        mip_(mip),
        options_(options),
        types_(GroupTypes(problem)),
        ip_(internal::BuildPanelIp(problem, types_, /*free_quotas=*/false)),
        search_(problem, types_) {}

  Result<LeximinResult> Run() {
    const int nt = types_.size();
    // Master LP: minimise −z; row t: Σ_P λ_P a_Pt / n_t − z ≥ 0 (unfixed) or
    // ≥ p_t (fixed); convexity row Σ λ_P = 1.
    for (int t = 0; t < nt; ++t) lp_.AddRow(0.0, kInfinity);
    convexity_row_ = lp_.AddRow(1.0, 1.0);
    SparseVector z_entries;
    for (int t = 0; t < nt; ++t) z_entries.push_back({t, -1.0});
    z_col_ = lp_.AddColumn(-1.0, 0.0, 1.0, z_entries);
    fixed_.assign(nt, -1.0);

    // A first panel, or the proof that there is none.
    ASSIGN_OR_RETURN(auto first, Price(std::vector<double>(nt, 0.0)));
    if (!first.has_value()) {
      return Error::InvalidArgument(
          "No panel of " + std::to_string(problem_.panel_size) +
          " meets every quota" +
          (problem_.one_per_household ? " with one person per household" : "") +
          "; check the quotas for a relaxation");
    }
    AddPanel(*first);
    RETURN_IF_ERROR(CoverTypes());

    int fixed_count = 0;
    std::vector<double> primal;
    while (fixed_count < nt) {
      ++stats_.stages;
      double value = 0;
      double stage_bound = 1.0;  // no probability exceeds 1
      std::vector<double> duals;
      for (int round = 1;; ++round) {
        if (options_.stop && options_.stop()) {
          return Error::Unavailable("The selection was stopped before it finished");
        }
        ++stats_.rounds;
        RETURN_IF_ERROR(SolveLp(value, primal, duals));
        std::vector<double> w(nt);
        for (int t = 0; t < nt; ++t) w[t] = std::max(0.0, duals[t]) / types_.count(t);
        const double threshold = -duals[convexity_row_];
        LeximinProgress progress{stats_.stages, round, static_cast<int>(panels_.size()),
                                 fixed_count, nt, value, stage_bound};

        // Cheap columns first: exchange search from the best known panels.
        int added = 0;
        for (int start : BestPanels(w, options_.search_starts)) {
          Composition improved = search_.Improve(panels_[start], w);
          if (Dot(w, improved) > threshold + options_.improvement_tolerance &&
              AddPanel(improved)) {
            ++added;
            ++stats_.heuristic_panels;
          }
        }
        if (added > 0) {
          Report(progress);
          continue;
        }
        // The integer programme either finds an improving panel or proves none exists.
        ASSIGN_OR_RETURN(auto best, Price(w));
        if (!best.has_value()) return Error::Internal("pricing became infeasible");
        const double reduced = Dot(w, *best) - threshold;
        stage_bound = std::min(stage_bound, value + std::max(0.0, reduced));
        progress.bound = stage_bound;
        Report(progress);
        if (reduced > options_.improvement_tolerance && AddPanel(*best)) {
          ++stats_.ip_panels;
          // Its neighbourhood often holds further improving panels.
          Composition improved = search_.Improve(*best, w);
          if (Dot(w, improved) > threshold + options_.improvement_tolerance) {
            AddPanel(improved);
          }
          continue;
        }
        break;
      }
      // Fix the unfixed types with a positive dual: tight in every optimum.
      double dual_sum = 0;
      int argmax = -1;
      for (int t = 0; t < nt; ++t) {
        if (fixed_[t] >= 0) continue;
        dual_sum += std::max(0.0, duals[t]);
        if (argmax < 0 || duals[t] > duals[argmax]) argmax = t;
      }
      int newly = 0;
      for (int t = 0; t < nt; ++t) {
        if (fixed_[t] >= 0) continue;
        if (duals[t] > options_.fix_tolerance * std::max(dual_sum, 1e-12) || t == argmax) {
          Fix(t, value);
          ++newly;
        }
      }
      fixed_count += newly;
    }
    RETURN_IF_ERROR(SolveLp(value_unused_, primal, duals_unused_));
    return Finish(primal);
  }

 private:
  Status SolveLp(double& value, std::vector<double>& primal, std::vector<double>& duals) {
    ++stats_.lp_solves;
    SolveStatus s = lp_.Solve();
    if (s.call != CallStatus::kOk) {
      return Error::Unavailable("The linear programming solver failed", s.message);
    }
    if (s.model != ModelStatus::kOptimal) {
      return Error::Internal("master LP not optimal (numerical trouble)");
    }
    value = -lp_.Objective();
    primal = lp_.Primal();
    duals = lp_.RowDuals();
    return Status::Ok();
  }

  // Seeds the master LP with panels that together include every type that any panel
  // can include. Until then the minimum probability is stuck at 0 and the duals carry
  // little information, so column generation would spend hundreds of rounds covering
  // types one by one. Exchange search does most of the work; the integer programme
  // settles the types the search cannot reach (or proves no panel holds them).
  Status CoverTypes() {
    const int nt = types_.size();
    std::vector<bool> covered(nt, false);
    int uncovered = nt;
    auto mark = [&](const Composition& a) {
      for (int t = 0; t < nt; ++t) {
        if (a[t] > 0 && !covered[t]) {
          covered[t] = true;
          --uncovered;
        }
      }
    };
    mark(panels_[0]);
    while (uncovered > 0) {
      std::vector<double> w(nt);
      for (int t = 0; t < nt; ++t) w[t] = covered[t] ? 0.0 : 1.0;
      const Composition& start = panels_[BestPanels(w, 1)[0]];
      Composition improved = search_.Improve(start, w);
      if (Dot(w, improved) > Dot(w, start) + 0.5) {
        AddPanel(improved);
        ++stats_.heuristic_panels;
        mark(improved);
        continue;
      }
      ASSIGN_OR_RETURN(auto best, Price(w));
      if (!best.has_value() || Dot(w, *best) < 0.5) break;  // the rest are never chosen
      AddPanel(*best);
      ++stats_.ip_panels;
      mark(*best);
    }
    return Status::Ok();
  }

  // The highest-weight feasible panel, nullopt when there is none.
  Result<std::optional<Composition>> Price(const std::vector<double>& w) {
    ++stats_.ip_solves;
    ip_.model.maximise = true;
    for (int t = 0; t < types_.size(); ++t) ip_.model.cost[t] = w[t];
    MipSolution sol = mip_.Solve(ip_.model);
    if (sol.status.call != CallStatus::kOk) {
      return Error::Unavailable("The integer programming solver failed", sol.status.message);
    }
    if (sol.status.model == ModelStatus::kInfeasible) return std::optional<Composition>();
    if (sol.status.model != ModelStatus::kOptimal) {
      return Error::Internal("pricing IP not solved to optimality");
    }
    Composition a(types_.size());
    for (int t = 0; t < types_.size(); ++t) a[t] = static_cast<int>(std::lround(sol.x[t]));
    if (!CompositionFeasible(problem_, types_, a)) {
      return Error::Internal("pricing IP returned a panel that breaks a quota");
    }
    return std::optional<Composition>(std::move(a));
  }

  std::vector<int> BestPanels(const std::vector<double>& w, int how_many) const {
    std::vector<std::pair<double, int>> scored;
    for (size_t i = 0; i < panels_.size(); ++i) scored.push_back({Dot(w, panels_[i]), i});
    const int m = std::min<int>(how_many, static_cast<int>(scored.size()));
    std::partial_sort(scored.begin(), scored.begin() + m, scored.end(),
                      [](const auto& x, const auto& y) { return x.first > y.first; });
    std::vector<int> out;
    for (int i = 0; i < m; ++i) out.push_back(scored[i].second);
    return out;
  }

  // Adds a column unless the panel is already there. Returns whether it was new.
  bool AddPanel(const Composition& a) {
    if (!seen_.insert(a).second) return false;
    SparseVector entries;
    for (int t = 0; t < types_.size(); ++t) {
      if (a[t] != 0) entries.push_back({t, static_cast<double>(a[t]) / types_.count(t)});
    }
    entries.push_back({convexity_row_, 1.0});
    lp_.AddColumn(0.0, 0.0, kInfinity, entries);
    panels_.push_back(a);
    return true;
  }

  void Fix(int t, double value) {
    fixed_[t] = std::max(0.0, value);
    lp_.SetCoefficient(t, z_col_, 0.0);
    // A hair below the optimum so rounding in the LP never makes the next stage
    // infeasible; the final probabilities are read from the final solution.
    lp_.SetRowBounds(t, std::max(0.0, fixed_[t] - 1e-9), kInfinity);
  }

  void Report(const LeximinProgress& p) const {
    if (options_.progress) options_.progress(p);
  }

  Result<LeximinResult> Finish(const std::vector<double>& primal) {
    LeximinResult r;
    Distribution& d = r.distribution;
    // Column 0 is z; panel i is column i + 1.
    double total = 0;
    for (size_t i = 0; i < panels_.size(); ++i) {
      const double lambda = primal[i + 1];
      if (lambda > 1e-10) {
        d.panels.push_back(panels_[i]);
        d.weights.push_back(lambda);
        total += lambda;
      }
    }
    if (d.panels.empty() || total <= 0) return Error::Internal("empty final distribution");
    for (double& w : d.weights) w /= total;
    d.probabilities = PersonProbabilities(problem_, types_, d.panels, d.weights);
    d.min_probability = *std::min_element(d.probabilities.begin(), d.probabilities.end());
    d.max_probability = *std::max_element(d.probabilities.begin(), d.probabilities.end());
    d.types = types_;
    r.stats = stats_;
    return r;
  }

  const Problem& problem_;
  LpSolver& lp_;
  MipSolver& mip_;
  const LeximinOptions& options_;
  AgentTypes types_;
  internal::PanelIp ip_;
  ExchangeSearch search_;
  int convexity_row_ = -1;
  int z_col_ = -1;
  std::vector<double> fixed_;
  std::vector<Composition> panels_;
  std::set<Composition> seen_;
  LeximinStats stats_;
  double value_unused_ = 0;
  std::vector<double> duals_unused_;
};

}  // namespace

std::vector<double> PersonProbabilities(const Problem& problem, const AgentTypes& types,
                                        const std::vector<Composition>& panels,
                                        const std::vector<double>& weights) {
  std::vector<double> per_type(types.size(), 0.0);
  for (size_t i = 0; i < panels.size(); ++i) {
    for (int t = 0; t < types.size(); ++t) {
      if (panels[i][t] != 0) per_type[t] += weights[i] * panels[i][t] / types.count(t);
    }
  }
  std::vector<double> out(problem.people.size());
  for (size_t p = 0; p < out.size(); ++p) out[p] = per_type[types.type_of[p]];
  return out;
}

Result<LeximinResult> Leximin(const Problem& problem, LpSolver& lp, MipSolver& mip,
                              const LeximinOptions& options) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  if (lp.num_rows() != 0 || lp.num_columns() != 0) {
    return Error::Internal("Leximin needs an empty LP solver");
  }
  ColumnGeneration cg(problem, lp, mip, options);
  return cg.Run();
}

}  // namespace communitise::sortition
