// Planted conversations: synthetic vote data with a known opinion-group structure.
//
// Used by the tests (does the map recover the planted groups and the planted consensus
// and divisive statements?), the benchmarks and demonstrations. Participants belong to
// one of `groups` hidden groups and vote on a few statements each, as in real
// conversations: each votes on a number of statements drawn uniformly from
// [min_votes_each, max_votes_each], choosing statements with a popularity that falls
// with the statement's index (early statements are seen by more people). Each statement
// has a planted kind that fixes the vote probabilities of each group:
//   consensus agree:    every group agrees 85%, disagrees 5%, passes 10%
//   consensus disagree: every group disagrees 85%, agrees 5%, passes 10%
//   divisive:           "for" groups agree 85% / disagree 5%, the others the reverse
//   noise:              every group agrees 35%, disagrees 35%, passes 30%
// The "for" groups of the t-th divisive statement are {t mod groups} when (t / groups)
// is even and all groups but that one otherwise, so every group is distinguishable.
//
// Thread safety: pure function. Deterministic for a seed on every platform.
#ifndef COMMUNITISE_DELIBERATION_PLANTED_CONVERSATION_H_
#define COMMUNITISE_DELIBERATION_PLANTED_CONVERSATION_H_

#include <cstdint>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/deliberation/vote_matrix.h"

namespace communitise::deliberation {

enum class PlantedKind { kConsensusAgree, kConsensusDisagree, kDivisive, kNoise };

struct PlantedConversationSpec {
  std::int32_t participants = 1000;
  std::int32_t statements = 50;
  std::int32_t groups = 3;
  std::int32_t min_votes_each = 5;
  std::int32_t max_votes_each = 60;
  // Shares of statements of each kind; the rest are noise.
  double consensus_agree_share = 0.10;
  double consensus_disagree_share = 0.05;
  double divisive_share = 0.45;
  std::uint64_t seed = 1;
};

struct PlantedConversation {
  std::vector<VoteRecord> votes;
  std::vector<std::int32_t> group_of;  // planted group per participant
  std::vector<PlantedKind> kind;       // per statement
};

// Errors (kInvalidArgument): non-positive sizes or groups, min > max votes, shares
// outside [0, 1] or summing above 1.
Result<PlantedConversation> GeneratePlantedConversation(const PlantedConversationSpec& spec);

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_PLANTED_CONVERSATION_H_
