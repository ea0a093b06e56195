// Internal: the integer programme whose feasible points are the quota-feasible panels,
// one integer column per agent type (its count on the panel). Shared by LEXIMIN
// pricing and the feasibility check.
#ifndef COMMUNITISE_SORTITION_PANEL_IP_H_
#define COMMUNITISE_SORTITION_PANEL_IP_H_

#include "communitise/sortition/model.h"
#include "communitise/sortition/solver.h"

namespace communitise::sortition::internal {

struct PanelIp {
  MipModel model;
  // quota_row[c][v]: the row counting value v of category c.
  std::vector<std::vector<int>> quota_row;
  int size_row = -1;
};

// Columns 0..types.size()-1 are the type counts with zero cost; quota rows carry the
// quotas' [min, max] unless `free_quotas`, in which case they are [0, panel size] and
// the caller adds its own relaxation columns.
PanelIp BuildPanelIp(const Problem& problem, const AgentTypes& types, bool free_quotas);

}  // namespace communitise::sortition::internal

#endif  // COMMUNITISE_SORTITION_PANEL_IP_H_
