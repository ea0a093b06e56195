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

// Trial runs of MES on a modified election. The election and profile are private
// copies, changed for one trial and restored after it.
struct MesSearch {
  Election& e;
  internal::Profile& prof;
  Completion completion;
  Utility utility;
  int64_t runs_left = 0;  // MES runs this search may still make; < 0: no bound

  // Whether p is funded; nullopt when the run bound was reached first.
  std::optional<bool> Funded(int p) {
    if (runs_left == 0) return std::nullopt;
    int64_t used = 0;
    int cap = runs_left < 0 ? 0 : static_cast<int>(std::min<int64_t>(runs_left, INT32_MAX));
    auto sel = internal::MesSelect(e, prof, completion, cap, &used);
    if (runs_left > 0) runs_left = std::max<int64_t>(0, runs_left - used);
    if (!sel) return std::nullopt;
    return std::find(sel->begin(), sel->end(), p) != sel->end();
  }

  // k new voters approving only p. Their satisfaction: the cost under cost utility,
  // else 1 (one point).
  std::optional<bool> FundedWithExtra(int p, int64_t k) {
    int32_t g = static_cast<int32_t>(prof.weight.size());
    prof.weight.push_back(k);
    prof.ballots.push_back({p});
    int64_t u = utility == Utility::kCost ? std::max<int64_t>(1, e.projects[p].cost) : 1;
    prof.supporters[p].push_back({g, u});
    prof.supporter_count[p] += k;
    prof.num_voters += k;
    auto funded = Funded(p);
    prof.num_voters -= k;
    prof.supporter_count[p] -= k;
    prof.supporters[p].pop_back();
    prof.ballots.pop_back();
    prof.weight.pop_back();
    return funded;
  }

  std::optional<bool> FundedWithCut(int p, int64_t cut) {
    int64_t cost = e.projects[p].cost;
    e.projects[p].cost = cost - cut;
    std::vector<int64_t> utilities;
    if (utility == Utility::kCost) {
      for (auto& x : prof.supporters[p]) {
        utilities.push_back(x.utility);
        x.utility = std::max<int64_t>(1, cost - cut);
      }
    }
    auto funded = Funded(p);
    e.projects[p].cost = cost;
    if (utility == Utility::kCost) {
      for (size_t k = 0; k < utilities.size(); ++k) prof.supporters[p][k].utility = utilities[k];
    }
    return funded;
  }
};

// Smallest value in [1, hi] for which `works` holds, given that it holds at hi:
// one by one up to `linear` values (exact), then bisection (an upper bound unless
// `monotone`). If `works` gives up (the run bound), the smallest value known to work
// is returned as an upper bound.
template <class F>
std::pair<int64_t, bool> SmallestWorking(int64_t hi, int linear, bool monotone, F works) {
  if (!monotone) {
    for (int64_t v = 1; v <= std::min<int64_t>(hi, linear); ++v) {
      std::optional<bool> w = works(v);
      if (!w) return {hi, false};
      if (*w) return {v, true};
    }
    if (hi <= linear) return {hi, true};
  }
  int64_t lo = monotone ? 0 : linear;  // works(lo) is false (or lo == 0)
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    std::optional<bool> w = works(mid);
    if (!w) return {hi, false};
    if (*w) hi = mid;
    else lo = mid;
  }
  return {hi, monotone};
}

Result<std::vector<ProjectMargin>> MesMargins(const Election& e, Utility utility,
                                               Completion completion, int max_linear,
                                               int64_t max_total_runs) {
  ASSIGN_OR_RETURN(internal::Profile prof, internal::BuildProfile(e, utility));
  Election light;
  light.projects = e.projects;
  light.budget = e.budget;
  light.cost_decimals = e.cost_decimals;
  light.vote_type = e.vote_type;
  int64_t used = 0;
  auto base = internal::MesSelect(light, prof, completion, 0, &used);
  std::vector<char> funded(e.projects.size(), 0);
  for (int p : *base) funded[p] = 1;
  int64_t unfunded = std::count(funded.begin(), funded.end(), 0);
  int64_t total_left = max_total_runs > 0 ? std::max<int64_t>(0, max_total_runs - used) : -1;
  MesSearch search{light, prof, completion, utility};
  // Each question gets an equal share of what the bound leaves.
  auto share = [&](int64_t questions_left) -> int64_t {
    if (total_left < 0) return -1;
    return std::max<int64_t>(1, total_left / std::max<int64_t>(1, questions_left));
  };
  auto charge = [&](int64_t given) {
    if (total_left >= 0) total_left = std::max<int64_t>(0, total_left - (given - search.runs_left));
  };
  std::vector<ProjectMargin> result;
  int64_t questions_left = 2 * unfunded;
  for (size_t p0 = 0; p0 < e.projects.size(); ++p0) {
    int p = static_cast<int>(p0);
    if (funded[p]) continue;
    ProjectMargin margin;
    margin.project = p;
    int64_t cost = e.projects[p].cost;
    if (cost > e.budget) {
      margin.extra_supporters = std::nullopt;
      margin.cost_reduction = cost - e.budget;
      --questions_left;  // no number of supporters suffices: not searched
      int64_t given = share(questions_left--);
      search.runs_left = given;
      // Cutting to the budget may still not be enough; search from there.
      auto works = [&](int64_t cut) { return search.FundedWithCut(p, cut); };
      std::optional<bool> at_budget = works(cost - e.budget);
      if (!at_budget) {
        margin.cost_reduction = cost;  // a free project is always funded
        margin.cost_reduction_exact = false;
      } else if (!*at_budget) {
        auto [v, exact] = SmallestWorking(e.budget, max_linear, false, [&](int64_t extra) {
          return works(cost - e.budget + extra);
        });
        margin.cost_reduction = cost - e.budget + v;
        margin.cost_reduction_exact = exact;
      }
      charge(given);
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
      int64_t given = share(questions_left--);
      search.runs_left = given;
      auto [v, exact] = SmallestWorking(alone, max_linear, false,
                                        [&](int64_t k) { return search.FundedWithExtra(p, k); });
      margin.extra_supporters = v;
      margin.extra_supporters_exact = exact;
      charge(given);
    }
    {
      int64_t given = share(questions_left--);
      search.runs_left = given;
      bool monotone = completion == Completion::kNone || completion == Completion::kUtilitarian;
      auto [v, exact] = SmallestWorking(cost, max_linear, monotone,
                                        [&](int64_t cut) { return search.FundedWithCut(p, cut); });
      margin.cost_reduction = v;
      margin.cost_reduction_exact = exact;
      charge(given);
    }
    result.push_back(margin);
  }
  return result;
}

}  // namespace

Result<std::vector<ProjectMargin>> ComputeMargins(const Election& e, const MarginRule& rule,
                                                  int max_linear_runs, int64_t max_total_runs) {
  if (rule.kind == MarginRule::Kind::kGreedy) return GreedyMargins(e, rule.greedy);
  return MesMargins(e, rule.utility, rule.completion, max_linear_runs, max_total_runs);
}

}  // namespace communitise::pb
