// Recovery of planted groups on a realistic conversation size (20,000 participants,
// 300 statements, 5-60 votes each). Labelled slow; runs in a few seconds.
#include <gtest/gtest.h>

#include <map>

#include "communitise/deliberation/opinion_map.h"
#include "communitise/deliberation/planted_conversation.h"

namespace communitise::deliberation {
namespace {

TEST(OpinionMapScaleTest, RecoversThreeGroupsAmongTwentyThousandSparseVoters) {
  PlantedConversationSpec spec;
  spec.participants = 20000;
  spec.statements = 300;
  spec.groups = 3;
  spec.min_votes_each = 5;
  spec.max_votes_each = 60;
  spec.seed = 2026;
  auto c = GeneratePlantedConversation(spec);
  ASSERT_TRUE(c.ok());
  auto m = VoteMatrix::FromVotes(spec.participants, spec.statements, c->votes);
  ASSERT_TRUE(m.ok());
  auto map = ComputeOpinionMap(*m, {});
  ASSERT_TRUE(map.ok());
  ASSERT_EQ(map->groups.size(), 3u);
  std::map<std::pair<int, int>, int> table;
  for (std::int32_t p = 0; p < spec.participants; ++p) {
    if (map->participants[p].group >= 0) ++table[{map->participants[p].group, c->group_of[p]}];
  }
  std::map<int, int> majority;
  for (const auto& [key, n] : table) majority[key.first] = std::max(majority[key.first], n);
  int agree = 0;
  for (const auto& [g, n] : majority) agree += n;
  EXPECT_GE(static_cast<double>(agree) / map->num_clustered, 0.9);
  for (const DivisiveStatement& d : map->divisive) {
    EXPECT_EQ(c->kind[d.statement], PlantedKind::kDivisive);
  }
  for (const ConsensusStatement& s : map->consensus) {
    EXPECT_EQ(c->kind[s.statement], s.direction == Direction::kAgree
                                        ? PlantedKind::kConsensusAgree
                                        : PlantedKind::kConsensusDisagree);
  }
}

}  // namespace
}  // namespace communitise::deliberation
