// Sequential Phragmén.
//
// Loads are exact rationals. Every supporter of the project funded in round k gets the
// same load t_k, so a voter's load is always t_{last round it took part in}. Keeping,
// per project, how many of its supporters sit at each t_k turns
// (cost + sum of supporters' loads) / supporters into a short sum over rounds. The
// minimum is found in double precision (each term is an exact t_k rounded once, all
// terms positive: relative error below (rounds + 3) * 2^-53) and every project within
// a relative margin of 1e-9 of it is re-evaluated exactly, so ties are decided exactly.
#include <algorithm>
#include <cmath>
#include <limits>

#include "communitise/pb/rules.h"
#include "profile.h"

namespace communitise::pb {

namespace {
constexpr double kMargin = 1e-9;

std::string ApproxDecimal(const mpq_class& x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x.get_d() / std::pow(10.0, decimals));
  return buf;
}
}  // namespace

Result<Outcome> SequentialPhragmen(const Election& e) {
  ASSIGN_OR_RETURN(internal::Profile prof, internal::BuildProfile(e, Utility::kApproval));
  size_t m = e.projects.size();
  Outcome out;
  out.rule = "phragmen";
  out.stories.resize(m);
  std::vector<int> remaining;
  for (size_t p = 0; p < m; ++p) {
    if (e.projects[p].cost <= e.budget) {
      remaining.push_back(static_cast<int>(p));
    } else {
      out.stories[p].detail = "not considered: it costs more than the whole budget";
    }
  }
  std::vector<mpq_class> t(1, mpq_class(0));  // t[0] = 0: nobody has paid yet
  std::vector<double> td(1, 0.0);
  std::vector<int32_t> last(prof.weight.size(), 0);
  std::vector<std::vector<int64_t>> count(m, std::vector<int64_t>(1, 0));
  for (size_t p = 0; p < m; ++p) count[p][0] = prof.supporter_count[p];
  auto exact_load = [&](int p) {
    mpq_class sum(mpz_class(static_cast<long>(e.projects[p].cost)));
    for (size_t k = 1; k < count[p].size(); ++k) {
      if (count[p][k] != 0) sum += t[k] * mpz_class(static_cast<long>(count[p][k]));
    }
    return mpq_class(sum / mpz_class(static_cast<long>(prof.supporter_count[p])));
  };
  int64_t spent = 0;
  std::vector<double> approx(m);
  std::vector<int> tied;
  while (!remaining.empty()) {
    double best_d = std::numeric_limits<double>::infinity();
    for (int p : remaining) {
      if (prof.supporter_count[p] == 0) {
        approx[p] = std::numeric_limits<double>::infinity();
        continue;
      }
      double sum = static_cast<double>(e.projects[p].cost);
      for (size_t k = 1; k < count[p].size(); ++k) sum += td[k] * static_cast<double>(count[p][k]);
      approx[p] = sum / static_cast<double>(prof.supporter_count[p]);
      best_d = std::min(best_d, approx[p]);
    }
    tied.clear();
    mpq_class best;
    bool infinite = std::isinf(best_d);
    if (infinite) {
      tied = remaining;  // nobody supports any remaining project: all tied at infinity
    } else {
      bool have = false;
      for (int p : remaining) {
        if (!(approx[p] <= best_d * (1 + kMargin))) continue;
        mpq_class v = exact_load(p);
        if (!have || v < best) {
          best = v;
          have = true;
          tied.assign(1, p);
        } else if (v == best) {
          tied.push_back(p);
        }
      }
    }
    std::sort(tied.begin(), tied.end(),
              [&](int a, int b) { return internal::IdLess(e, a, b); });
    int blocker = -1;
    for (int p : tied) {
      if (spent + e.projects[p].cost > e.budget) {
        blocker = p;
        break;
      }
    }
    if (blocker >= 0) {
      for (int p : remaining) {
        out.stories[p].detail =
            p == blocker ? "not funded: it was next (load " +
                               (infinite ? std::string("unbounded") : ApproxDecimal(best, e.cost_decimals)) +
                               ") but did not fit in the " + e.FormatMoney(e.budget - spent) +
                               " left, so the rule stopped"
                         : "not funded: the rule stopped when project " + e.projects[blocker].id +
                               " did not fit";
      }
      break;
    }
    int chosen = tied.front();
    spent += e.projects[chosen].cost;
    out.selected.push_back(chosen);
    int round = static_cast<int>(out.selected.size());
    out.stories[chosen].rank = round;
    if (!infinite) {
      t.push_back(best);
      td.push_back(best.get_d());
      out.phragmen_loads.push_back(best);
      size_t k_new = t.size() - 1;
      for (auto& c : count) c.push_back(0);
      for (const auto& sup : prof.supporters[chosen]) {
        int32_t g = sup.group;
        int64_t w = prof.weight[g];
        for (int32_t q : prof.ballots[g]) {
          count[q][last[g]] -= w;
          count[q][k_new] += w;
        }
        last[g] = static_cast<int32_t>(k_new);
      }
      out.stories[chosen].detail = "funded in round " + std::to_string(round) +
                                   " when its supporters' load reached " +
                                   ApproxDecimal(best, e.cost_decimals);
    } else {
      out.phragmen_loads.push_back(t.back());
      out.stories[chosen].detail =
          "funded in round " + std::to_string(round) + " although nobody supports it: it fit";
    }
    remaining.erase(std::find(remaining.begin(), remaining.end(), chosen));
  }
  internal::FinishOutcome(e, out);
  return out;
}

}  // namespace communitise::pb
