// Greedy rules: by votes (the city variants) and pabutools' greedy utilitarian welfare.
#include <algorithm>
#include <numeric>

#include "communitise/pb/rules.h"
#include "profile.h"

namespace communitise::pb {

using internal::IdLess;

std::vector<std::string> SortedSelectedIds(const Election& e, const Outcome& outcome) {
  std::vector<std::string> ids;
  ids.reserve(outcome.selected.size());
  for (int p : outcome.selected) ids.push_back(e.projects[p].id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<int64_t> CountVotes(const Election& e) {
  std::vector<int64_t> votes(e.projects.size(), 0);
  if (e.vote_type == VoteType::kOrdinal) {
    // Positional score: with ballots of at most L projects, rank 1 earns L points,
    // rank 2 L - 1, ... (Kraków's official count; the file's `score` column).
    int64_t longest = 0;
    for (const Voter& v : e.voters) longest = std::max<int64_t>(longest, v.vote.size());
    int64_t L = longest;
    if (auto m = e.Meta("max_length")) L = std::max<int64_t>(longest, std::strtoll(m->c_str(), nullptr, 10));
    for (const Voter& v : e.voters) {
      for (size_t j = 0; j < v.vote.size(); ++j) votes[v.vote[j]] += L - static_cast<int64_t>(j);
    }
    return votes;
  }
  for (const Voter& v : e.voters) {
    for (size_t j = 0; j < v.vote.size(); ++j) {
      votes[v.vote[j]] += e.HasPoints() && j < v.points.size() ? v.points[j] : 1;
    }
  }
  return votes;
}

namespace internal {

Result<std::vector<std::vector<int>>> ReadExclusions(const Election& e,
                                                    const GreedyOptions& options) {
  std::vector<std::vector<int>> excludes(e.projects.size());
  auto add = [&](std::string_view a, std::string_view b) -> Status {
    int pa = e.FindProject(a), pb = e.FindProject(b);
    if (pa < 0 || pb < 0) {
      return Error::InvalidArgument("exclusion names an unknown project: " +
                                    std::string(pa < 0 ? a : b));
    }
    if (pa != pb) {
      excludes[pa].push_back(pb);
      excludes[pb].push_back(pa);
    }
    return Status();
  };
  auto col = std::find(e.project_columns.begin(), e.project_columns.end(), "excludes");
  if (col != e.project_columns.end()) {
    size_t c = static_cast<size_t>(col - e.project_columns.begin());
    for (const Project& p : e.projects) {
      std::string_view list = c < p.cells.size() ? std::string_view(p.cells[c]) : "";
      while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view id = list.substr(0, comma);
        while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
        while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
        if (!id.empty() && id != "None") RETURN_IF_ERROR(add(p.id, id));
        list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
      }
    }
  }
  for (const auto& [a, b] : options.exclusions) RETURN_IF_ERROR(add(a, b));
  for (auto& x : excludes) {
    std::sort(x.begin(), x.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
  }
  return excludes;
}

}  // namespace internal

Result<Outcome> Greedy(const Election& e, const GreedyOptions& options) {
  std::vector<int64_t> votes = CountVotes(e);
  if (options.use_file_counts) {
    bool all = true;
    for (size_t p = 0; p < e.projects.size(); ++p) {
      const auto& col = e.vote_type == VoteType::kApproval || e.vote_type == VoteType::kChoose1
                            ? e.projects[p].votes
                            : e.projects[p].score;
      if (!col) {
        all = false;
        break;
      }
      votes[p] = *col;
    }
    if (!all) votes = CountVotes(e);
  }
  std::optional<int64_t> threshold = options.threshold;
  Outcome out;
  out.rule = options.variant == GreedyVariant::kSkip        ? "greedy"
             : options.variant == GreedyVariant::kNoSkip    ? "greedy-no-skip"
             : options.variant == GreedyVariant::kThreshold ? "greedy-threshold"
                                                            : "greedy-exclusive";
  std::vector<std::vector<int>> excludes;
  if (options.variant == GreedyVariant::kExclusive) {
    ASSIGN_OR_RETURN(excludes, internal::ReadExclusions(e, options));
    if (!threshold) {
      if (auto text = e.Meta("min_project_score_threshold")) {
        threshold = std::strtoll(text->c_str(), nullptr, 10);
      }
    }
  }
  if (options.variant == GreedyVariant::kThreshold && !threshold) {
    auto text = e.Meta("min_project_score_threshold");
    if (!text) {
      return Error::InvalidArgument(
          "greedy-threshold needs min_project_score_threshold in META or a threshold");
    }
    auto value = std::strtoll(text->c_str(), nullptr, 10);
    threshold = value;
  }
  std::vector<int> order(e.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (votes[a] != votes[b]) return votes[a] > votes[b];
    return IdLess(e, a, b);
  });
  out.stories.resize(e.projects.size());
  int64_t remaining = e.budget;
  bool stopped = false;
  for (size_t r = 0; r < order.size(); ++r) {
    int p = order[r];
    ProjectStory& s = out.stories[p];
    s.rank = static_cast<int>(r) + 1;
    std::string head = "rank " + std::to_string(r + 1) + " with " + std::to_string(votes[p]) +
                       (e.HasPoints() ? " points" : " votes") + ", cost " +
                       e.FormatMoney(e.projects[p].cost);
    bool thresholded = options.variant == GreedyVariant::kThreshold ||
                       options.variant == GreedyVariant::kExclusive;
    if (thresholded && threshold && votes[p] < *threshold) {
      s.detail = head + ": below the threshold of " + std::to_string(*threshold);
      continue;
    }
    if (!excludes.empty()) {
      auto blocker = std::find_if(excludes[p].begin(), excludes[p].end(),
                                  [&](int q) { return out.stories[q].selected; });
      if (blocker != excludes[p].end()) {
        s.detail = head + ": excluded by " + e.projects[*blocker].id + ", funded before it";
        continue;
      }
    }
    if (stopped) {
      s.detail = head + ": not considered, the rule stopped at the first project that did not fit";
      continue;
    }
    if (e.projects[p].cost <= remaining) {
      remaining -= e.projects[p].cost;
      out.selected.push_back(p);
      s.selected = true;
      s.detail = head + ": funded, " + e.FormatMoney(remaining) + " left";
    } else {
      s.detail = head + ": skipped, needs " + e.FormatMoney(e.projects[p].cost) + " but only " +
                 e.FormatMoney(remaining) + " was left";
      if (options.variant == GreedyVariant::kNoSkip) stopped = true;
    }
  }
  internal::FinishOutcome(e, out);
  return out;
}

Result<Outcome> GreedyWelfare(const Election& e, Utility utility) {
  ASSIGN_OR_RETURN(internal::Profile prof, internal::BuildProfile(e, utility));
  size_t m = e.projects.size();
  // Total satisfaction per project; class 2 = supported and free (infinite density),
  // 1 = supported, 0 = nobody supports it (density 0).
  std::vector<mpz_class> total(m);
  std::vector<int> cls(m);
  for (size_t p = 0; p < m; ++p) {
    total[p] = 0;
    for (const auto& s : prof.supporters[p]) {
      total[p] += mpz_class(static_cast<long>(prof.weight[s.group])) * static_cast<long>(s.utility);
    }
    cls[p] = total[p] == 0 ? 0 : (e.projects[p].cost == 0 ? 2 : 1);
  }
  std::vector<int> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (cls[a] != cls[b]) return cls[a] > cls[b];
    if (cls[a] == 1) {
      // total_a / cost_a vs total_b / cost_b by cross-multiplication.
      int c = cmp(total[a] * static_cast<long>(e.projects[b].cost),
                  total[b] * static_cast<long>(e.projects[a].cost));
      if (c != 0) return c > 0;
    }
    return IdLess(e, a, b);
  });
  Outcome out;
  out.rule = "greedy-welfare/" + internal::UtilityName(utility);
  out.stories.resize(m);
  int64_t remaining = e.budget;
  for (size_t r = 0; r < order.size(); ++r) {
    int p = order[r];
    ProjectStory& s = out.stories[p];
    s.rank = static_cast<int>(r) + 1;
    std::string head = "rank " + std::to_string(r + 1) + " by satisfaction per cost (" +
                       total[p].get_str() + " / " + e.FormatMoney(e.projects[p].cost) + ")";
    if (e.projects[p].cost <= remaining) {
      remaining -= e.projects[p].cost;
      out.selected.push_back(p);
      s.detail = head + ": funded, " + e.FormatMoney(remaining) + " left";
    } else {
      s.detail = head + ": skipped, only " + e.FormatMoney(remaining) + " was left";
    }
  }
  internal::FinishOutcome(e, out);
  return out;
}

}  // namespace communitise::pb
