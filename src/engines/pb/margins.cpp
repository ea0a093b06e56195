#include "communitise/pb/margins.h"

#include <algorithm>
#include <numeric>

#include "profile.h"

namespace communitise::pb {
namespace {

// Greedy margins, exact (see the header).
Result<std::vector<ProjectMargin>> GreedyMargins(const Election& e, const GreedyOptions& options) {
  ASSIGN_OR_RETURN(Outcome base, Greedy(e, options));
  std::vector<int64_t> votes = CountVotes(e);
  if (options.use_file_counts) {
    bool all = true;
    for (size_t p = 0; p < e.projects.size(); ++p) {
      const auto& col = e.vote_type == VoteType::kApproval || e.vote_type == VoteType::kChoose1
                            ? e.projects[p].votes
                            : e.projects[p].score;
      if (!col) all = false;
      else votes[p] = *col;
    }
    if (!all) votes = CountVotes(e);
  }
  // Exclusions: projects funded before p's turn that exclude p block it there.
  std::vector<std::vector<int>> excludes(e.projects.size());
  if (options.variant == GreedyVariant::kExclusive) {
    ASSIGN_OR_RETURN(excludes, internal::ReadExclusions(e, options));
  }
  bool thresholded = options.variant == GreedyVariant::kThreshold ||
                     (options.variant == GreedyVariant::kExclusive &&
                      (options.threshold || e.Meta("min_project_score_threshold")));
  int64_t threshold = 0;
  if (thresholded) {
    threshold = options.threshold ? *options.threshold
                                  : std::strtoll(e.Meta("min_project_score_threshold")->c_str(),
                                                 nullptr, 10);
  }
  // An extra supporter adds 1 vote, or for points ballots the most points one ballot
  // may give (max_points, else max_sum_points, else 1).
  int64_t per_voter = 1;
  if (e.vote_type == VoteType::kOrdinal) {
    // Ranked first by a new voter: the top positional score.
    for (const Voter& v : e.voters) per_voter = std::max<int64_t>(per_voter, v.vote.size());
    if (auto m = e.Meta("max_length")) {
      per_voter = std::max<int64_t>(per_voter, std::strtoll(m->c_str(), nullptr, 10));
    }
  }
  if (e.HasPoints()) {
    for (const char* key : {"max_points", "max_sum_points"}) {
      if (auto v = e.Meta(key)) {
        per_voter = std::max<int64_t>(1, std::strtoll(v->c_str(), nullptr, 10));
        break;
      }
    }
  }
  auto eligible = [&](int q) { return !thresholded || votes[q] >= threshold; };
  std::vector<int> order(e.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (votes[a] != votes[b]) return votes[a] > votes[b];
    return internal::IdLess(e, a, b);
  });
  std::vector<char> funded(e.projects.size(), 0);
  for (int p : base.selected) funded[p] = 1;
  std::vector<ProjectMargin> result;
  for (size_t p0 = 0; p0 < e.projects.size(); ++p0) {
    int p = static_cast<int>(p0);
    if (funded[p]) continue;
    ProjectMargin margin;
    margin.project = p;
    // Money left before each position of the order without p (position j = just
    // before the j-th other project), and whether a no-skip run is still going.
    std::vector<int> others;
    for (int q : order) {
      if (q != p) others.push_back(q);
    }
    // alive[j]: p could still be funded just before others[j] (a no-skip run is still
    // going and no project excluding p was funded before). Both only fall with j.
    std::vector<int64_t> left(others.size() + 1);
    std::vector<char> alive(others.size() + 1);
    std::vector<char> funded_q(e.projects.size(), 0);
    int64_t remaining = e.budget;
    bool going = true;
    for (size_t j = 0; j <= others.size(); ++j) {
      left[j] = remaining;
      alive[j] = going;
      if (j == others.size()) break;
      int q = others[j];
      if (!eligible(q) || !going) continue;
      bool blocked = std::any_of(excludes[q].begin(), excludes[q].end(),
                                 [&](int x) { return funded_q[x] != 0; });
      if (blocked) continue;
      if (e.projects[q].cost <= remaining) {
        remaining -= e.projects[q].cost;
        funded_q[q] = 1;
        if (std::binary_search(excludes[p].begin(), excludes[p].end(), q)) going = false;
      } else if (options.variant == GreedyVariant::kNoSkip) {
        going = false;
      }
    }
    // Extra supporters: the latest position where p would fit, and the votes needed
    // to stand there (ahead of others[j]: more votes, or as many and a smaller id).
    std::optional<int64_t> need_votes;
    for (size_t j = others.size() + 1; j-- > 0;) {
      if (!alive[j] || e.projects[p].cost > left[j]) continue;
      int64_t need = 0;
      if (j < others.size()) {
        int q = others[j];
        need = votes[q] + (internal::IdLess(e, p, q) ? 0 : 1);
      }
      if (thresholded) need = std::max(need, threshold);
      need = std::max(need, votes[p]);
      need_votes = need;
      break;
    }
    if (need_votes) margin.extra_supporters = (*need_votes - votes[p] + per_voter - 1) / per_voter;
    // Cost reduction: p keeps its place; it needs to fit in what is left at its turn.
    size_t pos = 0;
    while (pos < others.size() && (votes[others[pos]] > votes[p] ||
                                   (votes[others[pos]] == votes[p] &&
                                    internal::IdLess(e, others[pos], p)))) {
      ++pos;
    }
    if (eligible(p) && alive[pos]) margin.cost_reduction = e.projects[p].cost - left[pos];
    result.push_back(margin);
  }
  return result;
}

struct MesSearch {
  const Election& e;
  const internal::Profile& prof;
  Completion completion;
  Utility utility;

  bool FundedWithExtra(int p, int64_t k) const {
    internal::Profile mod = prof;
    int32_t g = static_cast<int32_t>(mod.weight.size());
    mod.weight.push_back(k);
    mod.ballots.push_back({p});
    // The new voters' satisfaction: the cost under cost utility, else 1 (one point).
    int64_t u = utility == Utility::kCost ? std::max<int64_t>(1, e.projects[p].cost) : 1;
    mod.supporters[p].push_back({g, u});
    mod.supporter_count[p] += k;
    mod.num_voters += k;
    auto sel = internal::MesSelect(e, mod, completion);
    return std::find(sel.begin(), sel.end(), p) != sel.end();
  }

  bool FundedWithCut(int p, int64_t cut, const Election& light) const {
    Election mod = light;
    mod.projects[p].cost -= cut;
    internal::Profile m2 = prof;
    if (utility == Utility::kCost) {
      for (auto& x : m2.supporters[p]) x.utility = std::max<int64_t>(1, mod.projects[p].cost);
    }
    auto sel = internal::MesSelect(mod, m2, completion);
    return std::find(sel.begin(), sel.end(), p) != sel.end();
  }
};

// Smallest value in [1, hi] for which `works` holds, given that it holds at hi:
// one by one up to `linear` values (exact), then bisection (an upper bound unless
// `monotone`).
template <class F>
std::pair<int64_t, bool> SmallestWorking(int64_t hi, int linear, bool monotone, F works) {
  if (!monotone) {
    for (int64_t v = 1; v <= std::min<int64_t>(hi, linear); ++v) {
      if (works(v)) return {v, true};
    }
    if (hi <= linear) return {hi, true};
  }
  int64_t lo = monotone ? 0 : linear;  // works(lo) is false (or lo == 0)
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (works(mid)) hi = mid;
    else lo = mid;
  }
  return {hi, monotone};
}

Result<std::vector<ProjectMargin>> MesMargins(const Election& e, Utility utility,
                                               Completion completion, int max_linear) {
  ASSIGN_OR_RETURN(internal::Profile prof, internal::BuildProfile(e, utility));
  Election light;
  light.projects = e.projects;
  light.budget = e.budget;
  light.cost_decimals = e.cost_decimals;
  light.vote_type = e.vote_type;
  auto base = internal::MesSelect(light, prof, completion);
  std::vector<char> funded(e.projects.size(), 0);
  for (int p : base) funded[p] = 1;
  MesSearch search{light, prof, completion, utility};
  std::vector<ProjectMargin> result;
  for (size_t p0 = 0; p0 < e.projects.size(); ++p0) {
    int p = static_cast<int>(p0);
    if (funded[p]) continue;
    ProjectMargin margin;
    margin.project = p;
    int64_t cost = e.projects[p].cost;
    if (cost > e.budget) {
      margin.extra_supporters = std::nullopt;
      margin.cost_reduction = cost - e.budget;
      // Cutting to the budget may still not be enough; search from there.
      auto works = [&](int64_t cut) { return search.FundedWithCut(p, cut, light); };
      if (!works(cost - e.budget)) {
        auto [v, exact] = SmallestWorking(e.budget, max_linear, false, [&](int64_t extra) {
          return works(cost - e.budget + extra);
        });
        margin.cost_reduction = cost - e.budget + v;
        margin.cost_reduction_exact = exact;
      }
      result.push_back(margin);
      continue;
    }
    // Enough new voters to pay for it alone: k * B / (n + k) >= cost.
    int64_t n = prof.num_voters;
    int64_t alone = cost == 0 ? 1
                              : static_cast<int64_t>((static_cast<__int128>(cost) * n +
                                                      (e.budget - cost) - 1) /
                                                     std::max<int64_t>(1, e.budget - cost));
    if (cost >= e.budget) alone = INT64_MAX / 4;
    alone = std::max<int64_t>(alone, 1);
    {
      auto [v, exact] = SmallestWorking(alone, max_linear, false,
                                        [&](int64_t k) { return search.FundedWithExtra(p, k); });
      margin.extra_supporters = v;
      margin.extra_supporters_exact = exact;
    }
    {
      bool monotone = completion == Completion::kNone || completion == Completion::kUtilitarian;
      auto [v, exact] = SmallestWorking(cost, max_linear, monotone,
                                        [&](int64_t cut) { return search.FundedWithCut(p, cut, light); });
      margin.cost_reduction = v;
      margin.cost_reduction_exact = exact;
    }
    result.push_back(margin);
  }
  return result;
}

}  // namespace

Result<std::vector<ProjectMargin>> ComputeMargins(const Election& e, const MarginRule& rule,
                                                  int max_linear_runs) {
  if (rule.kind == MarginRule::Kind::kGreedy) return GreedyMargins(e, rule.greedy);
  return MesMargins(e, rule.utility, rule.completion, max_linear_runs);
}

}  // namespace communitise::pb
