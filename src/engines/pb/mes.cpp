// Method of Equal Shares and its completions.
//
// One MES run is written once as a template over the number type:
//  - double: the fast path. Every decision it takes (is a project affordable, which
//    project has the smallest rho) must clear a relative margin kTolerance; otherwise
//    the run reports itself uncertain and is repeated with exact rationals.
//  - mpq_class: exact rationals (GMP), the reference semantics.
// Why the margin is safe: budgets start equal and change only by subtracting a
// payment min(b, rho*u). With at most R <= #projects rounds, each budget is the result
// of at most R subtractions, each payment of one division and one multiplication, and
// each sum over at most n voters; the accumulated relative error of any compared
// quantity is below (R + n + 8) * 2^-53 ~ 1.5e-11 for n = 131,778 and R = 200, four
// orders of magnitude below kTolerance = 1e-7. Anything closer than the margin
// (including every exact tie) is decided by the exact run.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "communitise/pb/rules.h"
#include "profile.h"

namespace communitise::pb {
namespace {

using internal::Profile;

constexpr double kTolerance = 1e-7;

// Everything about one MES run that the completions and explanations need.
struct Run {
  std::vector<int> selected;            // funded, in order (zero-cost ones first)
  int64_t cost = 0;
  std::vector<int> round_of;            // per project: round funded (0 = not)
  std::vector<double> rho_of;           // per project: price per unit of satisfaction
  std::vector<double> max_payment_of;   // per project: largest payment by one supporter
  std::vector<int> dropped_round;       // per project: round it became unaffordable
  std::vector<double> money_behind;     // per project: supporters' money then
  std::vector<int64_t> broke_supporters;  // per project: supporters with no money then
};

// Precomputed per election and utility.
struct Setup {
  const Election* e;
  const Profile* prof;
  std::vector<int> candidates;     // supported, cost > 0
  std::vector<int> free_projects;  // supported, cost == 0 (funded up front)
  std::vector<mpz_class> total_util;
  std::vector<double> total_util_d;
  std::vector<char> uniform;       // all supporters of the project have equal utility
};

Setup MakeSetup(const Election& e, const Profile& prof) {
  Setup s{&e, &prof, {}, {}, {}, {}, {}};
  size_t m = e.projects.size();
  s.total_util.resize(m);
  s.total_util_d.resize(m);
  s.uniform.assign(m, 1);
  std::vector<int> order(m);
  std::iota(order.begin(), order.end(), 0);
  for (size_t p = 0; p < m; ++p) {
    mpz_class t = 0;
    const auto& sup = prof.supporters[p];
    for (const auto& x : sup) {
      t += mpz_class(static_cast<long>(prof.weight[x.group])) * static_cast<long>(x.utility);
      if (x.utility != sup[0].utility) s.uniform[p] = 0;
    }
    s.total_util[p] = t;
    s.total_util_d[p] = t.get_d();
    if (t > 0) {
      if (e.projects[p].cost > 0) s.candidates.push_back(static_cast<int>(p));
      else s.free_projects.push_back(static_cast<int>(p));
    }
  }
  auto by_id = [&](int a, int b) { return internal::IdLess(e, a, b); };
  std::sort(s.free_projects.begin(), s.free_projects.end(), by_id);
  return s;
}

inline double ToDouble(double x) { return x; }
inline double ToDouble(const mpq_class& x) { return x.get_d(); }

template <class Num>
Num FromInt(int64_t v) {
  if constexpr (std::is_same_v<Num, double>) {
    return static_cast<double>(v);
  } else {
    return Num(mpz_class(static_cast<long>(v)));
  }
}

// One MES run with per-voter budget b0. Returns false (double only) if a decision
// fell inside the uncertainty margin.
template <class Num>
bool MesRun(const Setup& s, const Num& b0, bool explain, Run& run) {
  constexpr bool kExact = !std::is_same_v<Num, double>;
  const Election& e = *s.e;
  const Profile& prof = *s.prof;
  size_t m = e.projects.size();
  std::vector<Num> budget(prof.weight.size(), b0);
  std::vector<Num> rho_lb(m);
  for (int p : s.candidates) {
    if constexpr (kExact) {
      rho_lb[p] = mpq_class(mpz_class(static_cast<long>(e.projects[p].cost)), s.total_util[p]);
      rho_lb[p].canonicalize();
    } else {
      rho_lb[p] = static_cast<double>(e.projects[p].cost) / s.total_util_d[p];
    }
  }
  run = Run();
  if (explain) {
    run.round_of.assign(m, 0);
    run.rho_of.assign(m, 0);
    run.max_payment_of.assign(m, 0);
    run.dropped_round.assign(m, 0);
    run.money_behind.assign(m, 0);
    run.broke_supporters.assign(m, 0);
  }
  for (int p : s.free_projects) {
    run.selected.push_back(p);
    if (explain) run.round_of[p] = 0;
  }
  std::vector<int> remaining = s.candidates;
  struct Item {
    Num budget;
    int64_t weight;
    int64_t utility;
  };
  std::vector<Item> items;
  std::vector<std::pair<Num, int>> evaluated;
  int round = 0;
  while (!remaining.empty()) {
    ++round;
    std::sort(remaining.begin(), remaining.end(),
              [&](int a, int b) { return rho_lb[a] < rho_lb[b]; });
    evaluated.clear();
    bool have_best = false;
    Num best{};
    std::vector<char> drop(m, 0);
    for (int p : remaining) {
      if (have_best) {
        if constexpr (kExact) {
          if (rho_lb[p] > best) break;
        } else {
          if (rho_lb[p] > best * (1 + kTolerance)) break;
        }
      }
      const auto& sup = prof.supporters[p];
      Num avail = FromInt<Num>(0);
      for (const auto& x : sup) avail += budget[x.group] * FromInt<Num>(prof.weight[x.group]);
      Num cost = FromInt<Num>(e.projects[p].cost);
      bool affordable;
      if constexpr (kExact) {
        affordable = !(avail < cost);
      } else {
        double c = cost;
        if (avail < c * (1 - kTolerance)) {
          affordable = false;
        } else if (avail < c * (1 + kTolerance)) {
          return false;
        } else {
          affordable = true;
        }
      }
      if (!affordable) {
        drop[p] = 1;
        if (explain) {
          run.dropped_round[p] = round;
          run.money_behind[p] = ToDouble(avail);
          int64_t broke = 0;
          for (const auto& x : sup) {
            if (budget[x.group] == 0) broke += prof.weight[x.group];
          }
          run.broke_supporters[p] = broke;
        }
        continue;
      }
      // rho: the smallest price with sum_i min(b_i, rho * u_i) = cost. Supporters in
      // increasing order of b_i / u_i; those who cannot pay rho * u_i pay everything.
      items.clear();
      for (const auto& x : sup) items.push_back({budget[x.group], prof.weight[x.group], x.utility});
      if (s.uniform[p]) {
        std::sort(items.begin(), items.end(),
                  [](const Item& a, const Item& b) { return a.budget < b.budget; });
      } else {
        std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
          return a.budget * FromInt<Num>(b.utility) < b.budget * FromInt<Num>(a.utility);
        });
      }
      Num contrib = FromInt<Num>(0);
      Num denom;
      if constexpr (kExact) denom = mpq_class(s.total_util[p]);
      else denom = s.total_util_d[p];
      Num rho{};
      bool found = false;
      for (const Item& it : items) {
        Num af = (cost - contrib) / denom;
        if (af * FromInt<Num>(it.utility) <= it.budget) {
          rho = af;
          found = true;
          break;
        }
        contrib += it.budget * FromInt<Num>(it.weight);
        denom -= FromInt<Num>(it.weight) * FromInt<Num>(it.utility);
      }
      if (!found) {
        // Only reachable through rounding when avail ~ cost; affordability was certain.
        if constexpr (kExact) {
          drop[p] = 1;
          continue;
        } else {
          return false;
        }
      }
      rho_lb[p] = rho;
      evaluated.emplace_back(rho, p);
      if (!have_best || rho < best) {
        best = rho;
        have_best = true;
      }
    }
    if (!have_best) {
      if (explain) {
        for (int p : remaining) {
          if (!drop[p]) run.dropped_round[p] = round;
        }
      }
      break;
    }
    int chosen = -1;
    for (const auto& [rho, p] : evaluated) {
      bool tied;
      if constexpr (kExact) tied = rho == best;
      else tied = rho <= best * (1 + kTolerance);
      if (!tied) continue;
      if (chosen < 0) {
        chosen = p;
      } else {
        if constexpr (!kExact) return false;  // a near tie: only exact arithmetic decides
        if (internal::IdLess(e, p, chosen)) chosen = p;
      }
    }
    run.selected.push_back(chosen);
    double max_payment = 0;
    for (const auto& x : prof.supporters[chosen]) {
      Num pay = best * FromInt<Num>(x.utility);
      if (budget[x.group] <= pay) {
        max_payment = std::max(max_payment, ToDouble(budget[x.group]));
        budget[x.group] = FromInt<Num>(0);
      } else {
        budget[x.group] -= pay;
        max_payment = std::max(max_payment, ToDouble(pay));
      }
    }
    if (explain) {
      run.round_of[chosen] = round;
      run.rho_of[chosen] = ToDouble(best);
      run.max_payment_of[chosen] = max_payment;
    }
    std::vector<int> next;
    next.reserve(remaining.size());
    for (int p : remaining) {
      if (p != chosen && !drop[p]) next.push_back(p);
    }
    remaining.swap(next);
  }
  run.cost = 0;
  for (int p : run.selected) run.cost += e.projects[p].cost;
  return true;
}

// Runs MES at per-voter budget b0 (exact), using the fast path when it is certain.
struct Runner {
  const Setup& s;
  bool exact_only;
  int runs = 0;
  int exact_runs = 0;

  Run operator()(const mpq_class& b0, bool explain = false) {
    Run run;
    ++runs;
    if (!exact_only && MesRun<double>(s, b0.get_d(), explain, run)) return run;
    ++exact_runs;
    MesRun<mpq_class>(s, b0, explain, run);
    return run;
  }
};

bool Exhaustive(const Setup& s, const Run& run) {
  std::vector<char> in(s.e->projects.size(), 0);
  for (int p : run.selected) in[p] = 1;
  for (int p : s.candidates) {
    if (!in[p] && run.cost + s.e->projects[p].cost <= s.e->budget) return false;
  }
  return true;
}

std::string FormatDouble(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Runs MES with `completion` (except the utilitarian top-up, applied by the caller)
// and returns the final run's per-voter budget.
mpq_class Complete(const Setup& s, Runner& runner, Completion completion) {
  const Election& e = *s.e;
  const Profile& prof = *s.prof;
  const mpq_class n(mpz_class(static_cast<long>(prof.num_voters)));
  mpq_class b0 = mpq_class(mpz_class(static_cast<long>(e.budget))) / n;
  mpz_class unit = 1;
  for (int i = 0; i < e.cost_decimals; ++i) unit *= 10;
  Run run = runner(b0);
  mpq_class final_budget = b0;
  auto selects_everything = [&](const Run& r) {
    return r.selected.size() == s.candidates.size() + s.free_projects.size();
  };
  switch (completion) {
    case Completion::kNone:
    case Completion::kUtilitarian:
      break;
    case Completion::kAdd1: {
      // pabutools: the previous outcome starts as the empty allocation plus free projects.
      Run previous;
      previous.selected = s.free_projects;
      mpq_class previous_budget = b0;
      mpq_class b = b0;
      while (true) {
        if (run.cost > e.budget) {
          final_budget = previous_budget;
          break;
        }
        if (Exhaustive(s, run)) {
          final_budget = b;
          break;
        }
        previous = std::move(run);
        previous_budget = b;
        b += mpq_class(unit);
        run = runner(b);
      }
      break;
    }
    case Completion::kAdd1Checker: {
      mpz_class per_voter_floor = (mpz_class(static_cast<long>(e.budget)) /
                                   (mpz_class(static_cast<long>(prof.num_voters)) * unit)) * unit;
      mpq_class b(per_voter_floor);
      // Beyond the point where every supported project is funded more money changes
      // nothing, so the loop also ends there.
      while (!selects_everything(run)) {
        b += mpq_class(unit);
        Run next = runner(b);
        if (next.cost > e.budget) break;
        run = std::move(next);
        final_budget = b;
      }
      break;
    }
  }
  return final_budget;
}

// Greedy top-up by number of supporters (then project_id) over what MES left.
void UtilitarianTopUp(const Election& e, const Profile& prof, std::vector<int>& selected,
                      std::vector<ProjectStory>* stories) {
  std::vector<char> in(e.projects.size(), 0);
  int64_t cost = 0;
  for (int p : selected) {
    in[p] = 1;
    cost += e.projects[p].cost;
  }
  std::vector<int> order(e.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (prof.supporter_count[a] != prof.supporter_count[b]) {
      return prof.supporter_count[a] > prof.supporter_count[b];
    }
    return internal::IdLess(e, a, b);
  });
  for (int p : order) {
    if (in[p] || cost + e.projects[p].cost > e.budget) continue;
    cost += e.projects[p].cost;
    selected.push_back(p);
    if (stories) {
      (*stories)[p].selected = true;
      (*stories)[p].detail += "; then funded by the utilitarian completion (" +
                              std::to_string(prof.supporter_count[p]) + " votes)";
    }
  }
}

Result<Outcome> EqualSharesImpl(const Election& e, Utility utility, Completion completion,
                                bool exact_only) {
  ASSIGN_OR_RETURN(Profile prof, internal::BuildProfile(e, utility));
  Outcome out;
  out.rule = "mes/" + internal::UtilityName(utility) + "/" + internal::CompletionName(completion);
  if (prof.num_voters == 0) {
    internal::FinishOutcome(e, out);
    return out;
  }
  Setup s = MakeSetup(e, prof);
  Runner runner{s, exact_only};
  mpq_class final_budget = Complete(s, runner, completion);
  // The explanation comes from one more run at the final budget with details on.
  Run detailed = runner(final_budget, true);
  --runner.runs;
  out.selected = detailed.selected;
  out.per_voter_budget = final_budget;
  out.mes_runs = runner.runs;
  out.exact_runs = runner.exact_runs;
  internal::FinishOutcome(e, out);
  for (size_t p = 0; p < e.projects.size(); ++p) {
    ProjectStory& st = out.stories[p];
    const auto& sup_count = prof.supporter_count[p];
    if (st.selected) {
      st.rank = detailed.round_of[p];
      if (e.projects[p].cost == 0) {
        st.detail = "funded up front: it costs nothing";
      } else {
        st.detail = "funded in round " + std::to_string(st.rank) + " at a price of " +
                    FormatDouble(detailed.rho_of[p]) + " per unit of satisfaction; the " +
                    std::to_string(sup_count) + " supporters paid at most " +
                    FormatDouble(detailed.max_payment_of[p] /
                                 std::pow(10.0, e.cost_decimals)) + " each";
      }
    } else if (sup_count == 0) {
      st.detail = "not funded: nobody supports it";
    } else {
      st.detail = "not funded: in round " + std::to_string(detailed.dropped_round[p]) +
                  " its " + std::to_string(sup_count) + " supporters had " +
                  FormatDouble(detailed.money_behind[p] / std::pow(10.0, e.cost_decimals)) +
                  " left in total, less than its cost " + e.FormatMoney(e.projects[p].cost) +
                  "; " + std::to_string(detailed.broke_supporters[p]) +
                  " of them had spent all their money";
    }
  }
  if (completion == Completion::kUtilitarian) {
    UtilitarianTopUp(e, prof, out.selected, &out.stories);
    internal::FinishOutcome(e, out);
  }
  return out;
}

}  // namespace

namespace internal {
std::vector<int> MesSelect(const Election& e, const Profile& prof, Completion completion) {
  if (prof.num_voters == 0) return {};
  Setup s = MakeSetup(e, prof);
  Runner runner{s, false};
  mpq_class final_budget = Complete(s, runner, completion);
  Run run = runner(final_budget);
  if (completion == Completion::kUtilitarian) UtilitarianTopUp(e, prof, run.selected, nullptr);
  return run.selected;
}
}  // namespace internal

Result<Outcome> EqualShares(const Election& e, Utility utility, Completion completion) {
  return EqualSharesImpl(e, utility, completion, false);
}

Result<Outcome> EqualSharesExactOnly(const Election& e, Utility utility, Completion completion) {
  return EqualSharesImpl(e, utility, completion, true);
}

}  // namespace communitise::pb
