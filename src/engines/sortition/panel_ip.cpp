#include "panel_ip.h"

namespace communitise::sortition::internal {

PanelIp BuildPanelIp(const Problem& problem, const AgentTypes& types, bool free_quotas) {
  PanelIp ip;
  for (int t = 0; t < types.size(); ++t) {
    ip.model.AddColumn(0.0, 0.0, types.count(t), /*is_integer=*/true);
  }
  const auto& cats = problem.quotas.categories;
  ip.quota_row.resize(cats.size());
  for (size_t c = 0; c < cats.size(); ++c) {
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      SparseVector entries;
      for (int t = 0; t < types.size(); ++t) {
        if (types.values[t][c] == static_cast<int>(v)) entries.push_back({t, 1.0});
      }
      const FeatureValue& fv = cats[c].values[v];
      const double lo = free_quotas ? 0.0 : fv.min;
      const double hi = free_quotas ? problem.panel_size : fv.max;
      ip.quota_row[c].push_back(ip.model.AddRow(std::move(entries), lo, hi));
    }
  }
  SparseVector all;
  for (int t = 0; t < types.size(); ++t) all.push_back({t, 1.0});
  ip.size_row = ip.model.AddRow(std::move(all), problem.panel_size, problem.panel_size);
  for (const auto& g : types.exclusive_groups) {
    SparseVector entries;
    for (int t : g) entries.push_back({t, 1.0});
    ip.model.AddRow(std::move(entries), 0.0, 1.0);
  }
  return ip;
}

}  // namespace communitise::sortition::internal
