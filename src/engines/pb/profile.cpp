#include "profile.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace communitise::pb::internal {

Result<Profile> BuildProfile(const Election& e, Utility utility) {
  if (utility == Utility::kPoints && !e.HasPoints()) {
    return Error::InvalidArgument("points utility needs cumulative or scoring ballots");
  }
  Profile prof;
  prof.num_voters = static_cast<int64_t>(e.voters.size());
  prof.supporters.resize(e.projects.size());
  prof.supporter_count.assign(e.projects.size(), 0);
  std::unordered_map<std::string, int32_t> group_of;
  group_of.reserve(e.voters.size());
  std::vector<std::pair<int32_t, int64_t>> items;
  std::string key;
  for (const Voter& v : e.voters) {
    items.clear();
    for (size_t j = 0; j < v.vote.size(); ++j) {
      int64_t pts = j < v.points.size() ? v.points[j] : 1;
      if (utility == Utility::kPoints && pts <= 0) continue;
      items.emplace_back(v.vote[j], utility == Utility::kPoints ? pts : 1);
    }
    std::sort(items.begin(), items.end());
    key.assign(reinterpret_cast<const char*>(items.data()),
               items.size() * sizeof(items[0]));
    auto [it, inserted] = group_of.emplace(key, static_cast<int32_t>(prof.weight.size()));
    if (inserted) {
      int32_t g = it->second;
      prof.weight.push_back(1);
      std::vector<int32_t> ballot;
      ballot.reserve(items.size());
      for (auto [p, pts] : items) {
        ballot.push_back(p);
        prof.supporters[p].push_back({g, UtilityOf(e, utility, p, pts)});
      }
      prof.ballots.push_back(std::move(ballot));
    } else {
      ++prof.weight[it->second];
    }
    for (auto [p, pts] : items) ++prof.supporter_count[p];
  }
  // Number groups in lexicographic order of their ballots, so that the supporters of
  // one project sit close together in per-group arrays (the rules' inner loops gather
  // budgets by group; nearby ids keep those reads in cache).
  size_t n = prof.weight.size();
  std::vector<int32_t> order(n);
  for (size_t g = 0; g < n; ++g) order[g] = static_cast<int32_t>(g);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return prof.ballots[a] < prof.ballots[b]; });
  std::vector<int32_t> new_id(n);
  for (size_t i = 0; i < n; ++i) new_id[order[i]] = static_cast<int32_t>(i);
  std::vector<int64_t> weight(n);
  std::vector<std::vector<int32_t>> ballots(n);
  for (size_t i = 0; i < n; ++i) {
    weight[i] = prof.weight[order[i]];
    ballots[i] = std::move(prof.ballots[order[i]]);
  }
  prof.weight = std::move(weight);
  prof.ballots = std::move(ballots);
  for (auto& sup : prof.supporters) {
    for (auto& x : sup) x.group = new_id[x.group];
    std::sort(sup.begin(), sup.end(),
              [](const Supporter& a, const Supporter& b) { return a.group < b.group; });
  }
  return prof;
}

std::string UtilityName(Utility utility) {
  switch (utility) {
    case Utility::kCost: return "cost";
    case Utility::kApproval: return "approval";
    case Utility::kPoints: return "points";
  }
  return "cost";
}

std::string CompletionName(Completion completion) {
  switch (completion) {
    case Completion::kNone: return "none";
    case Completion::kAdd1: return "add1";
    case Completion::kAdd1Checker: return "add1-checker";
    case Completion::kUtilitarian: return "utilitarian";
  }
  return "none";
}

void FinishOutcome(const Election& e, Outcome& outcome) {
  outcome.total_cost = 0;
  for (int p : outcome.selected) outcome.total_cost += e.projects[p].cost;
  outcome.stories.resize(e.projects.size());
  for (int p : outcome.selected) outcome.stories[p].selected = true;
}

}  // namespace communitise::pb::internal
