// Maximal utilitarian welfare by depth-first branch and bound (0/1 knapsack).
// Values and costs are integers (values in 128 bits); the bound is the fractional
// knapsack relaxation rounded down, which is valid because every reachable welfare is
// an integer. A branch is pruned when its bound cannot beat the best found so far, so
// the first optimal set found is kept.
#include <algorithm>
#include <numeric>

#include "communitise/pb/rules.h"
#include "profile.h"

namespace communitise::pb {
namespace {

using i128 = __int128;
constexpr int64_t kNodeLimit = 200'000'000;

struct Search {
  std::vector<int> order;
  std::vector<int64_t> cost;
  std::vector<i128> value;
  std::vector<char> take, best_take;
  i128 best = -1;
  int64_t nodes = 0;

  i128 Bound(size_t i, int64_t room, i128 acc) const {
    for (; i < order.size(); ++i) {
      int p = order[i];
      if (cost[p] <= room) {
        room -= cost[p];
        acc += value[p];
      } else {
        return acc + value[p] * room / cost[p];
      }
    }
    return acc;
  }

  bool Dfs(size_t i, int64_t room, i128 acc) {
    if (++nodes > kNodeLimit) return false;
    if (i == order.size()) {
      if (acc > best) {
        best = acc;
        best_take = take;
      }
      return true;
    }
    if (Bound(i, room, acc) <= best) return true;
    int p = order[i];
    if (cost[p] <= room) {
      take[p] = 1;
      if (!Dfs(i + 1, room - cost[p], acc + value[p])) return false;
      take[p] = 0;
    }
    return Dfs(i + 1, room, acc);
  }
};

}  // namespace

Result<Outcome> MaxWelfare(const Election& e, Utility utility) {
  ASSIGN_OR_RETURN(internal::Profile prof, internal::BuildProfile(e, utility));
  size_t m = e.projects.size();
  Search s;
  s.cost.resize(m);
  s.value.assign(m, 0);
  s.take.assign(m, 0);
  std::vector<int> free_projects;
  for (size_t p = 0; p < m; ++p) {
    s.cost[p] = e.projects[p].cost;
    for (const auto& x : prof.supporters[p]) s.value[p] += i128(prof.weight[x.group]) * x.utility;
    if (s.value[p] == 0) continue;  // adds nothing: never funded
    if (s.cost[p] == 0) free_projects.push_back(static_cast<int>(p));
    else s.order.push_back(static_cast<int>(p));
  }
  std::sort(s.order.begin(), s.order.end(), [&](int a, int b) {
    i128 l = s.value[a] * s.cost[b], r = s.value[b] * s.cost[a];
    if (l != r) return l > r;
    return internal::IdLess(e, a, b);
  });
  if (!s.Dfs(0, e.budget, 0)) {
    return Error::Unavailable("max-welfare search exceeded its node limit",
                              "branch and bound visited " + std::to_string(kNodeLimit) + " nodes");
  }
  Outcome out;
  out.rule = "max-welfare/" + internal::UtilityName(utility);
  for (int p : free_projects) out.selected.push_back(p);
  for (int p : s.order) {
    if (s.best_take[p]) out.selected.push_back(p);
  }
  internal::FinishOutcome(e, out);
  for (size_t p = 0; p < m; ++p) {
    auto& st = out.stories[p];
    st.detail = st.selected ? "funded: part of a welfare-maximising set within the budget"
                : s.value[p] == 0 ? "not funded: nobody supports it"
                                  : "not funded: no welfare-maximising set includes it at this tie-break";
  }
  return out;
}

}  // namespace communitise::pb
