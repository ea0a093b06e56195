#include "communitise/deliberation/opinion_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "communitise/deliberation/planted_conversation.h"

namespace communitise::deliberation {
namespace {

VoteMatrix MustBuild(std::int32_t participants, std::int32_t statements,
                     const std::vector<VoteRecord>& votes) {
  auto m = VoteMatrix::FromVotes(participants, statements, votes);
  EXPECT_TRUE(m.ok());
  return std::move(m).value();
}

OpinionMap MustMap(const VoteMatrix& votes, const OpinionMapOptions& options = {}) {
  auto map = ComputeOpinionMap(votes, options);
  EXPECT_TRUE(map.ok()) << map.error().ToString();
  return std::move(map).value();
}

struct Planted {
  PlantedConversation conversation;
  VoteMatrix matrix;
};

Planted MakePlanted(const PlantedConversationSpec& spec) {
  auto c = GeneratePlantedConversation(spec);
  EXPECT_TRUE(c.ok());
  Planted p{std::move(c).value(), {}};
  p.matrix = MustBuild(spec.participants, spec.statements, p.conversation.votes);
  return p;
}

// Share of clustered participants whose found group's majority planted group is theirs.
double Purity(const OpinionMap& map, const std::vector<std::int32_t>& planted) {
  std::map<std::pair<std::int32_t, std::int32_t>, std::int32_t> table;
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    if (map.participants[p].group >= 0) ++table[{map.participants[p].group, planted[p]}];
  }
  std::map<std::int32_t, std::int32_t> majority;
  for (const auto& [key, n] : table) majority[key.first] = std::max(majority[key.first], n);
  std::int32_t agree = 0;
  for (const auto& [g, n] : majority) agree += n;
  return map.num_clustered > 0 ? static_cast<double>(agree) / map.num_clustered : 0.0;
}

TEST(OpinionMapTest, RecoversThreePlantedGroups) {
  PlantedConversationSpec spec;
  spec.participants = 900;
  spec.statements = 60;
  spec.groups = 3;
  spec.min_votes_each = 10;
  spec.max_votes_each = 40;
  spec.seed = 7;
  const Planted planted = MakePlanted(spec);
  OpinionMapOptions options;
  options.seed = 42;
  const OpinionMap map = MustMap(planted.matrix, options);
  ASSERT_EQ(map.groups.size(), 3u);
  EXPECT_GE(Purity(map, planted.conversation.group_of), 0.9);
  EXPECT_GT(map.silhouette, 0.3);
  std::int32_t total = 0;
  for (const Group& g : map.groups) total += g.size;
  EXPECT_EQ(total, map.num_clustered);
  EXPECT_EQ(map.groups[0].label, "A");
  EXPECT_GE(map.groups[0].size, map.groups[1].size);
}

TEST(OpinionMapTest, RecoversTwoPlantedGroupsWithSparseVoters) {
  PlantedConversationSpec spec;
  spec.participants = 1500;
  spec.statements = 200;
  spec.groups = 2;
  spec.min_votes_each = 5;
  spec.max_votes_each = 60;
  spec.seed = 3;
  const Planted planted = MakePlanted(spec);
  const OpinionMap map = MustMap(planted.matrix);
  ASSERT_EQ(map.groups.size(), 2u);
  EXPECT_GE(Purity(map, planted.conversation.group_of), 0.9);
  // Participants with 5 or 6 votes are not clustered (the minimum is 7).
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    EXPECT_EQ(map.participants[p].clustered, planted.matrix.VoteCount(p) >= 7);
  }
  EXPECT_LT(map.num_clustered, map.num_participants);
}

TEST(OpinionMapTest, ConsensusAndDivisiveStatementsAreThePlantedOnes) {
  PlantedConversationSpec spec;
  spec.participants = 1200;
  spec.statements = 40;
  spec.groups = 3;
  spec.min_votes_each = 15;
  spec.max_votes_each = 35;
  spec.seed = 11;
  const Planted planted = MakePlanted(spec);
  const OpinionMap map = MustMap(planted.matrix);
  ASSERT_EQ(map.groups.size(), 3u);
  const auto& kind = planted.conversation.kind;
  std::int32_t agree_found = 0, disagree_found = 0;
  for (const ConsensusStatement& c : map.consensus) {
    if (c.direction == Direction::kAgree) {
      ++agree_found;
      EXPECT_EQ(kind[c.statement], PlantedKind::kConsensusAgree) << c.statement;
    } else {
      ++disagree_found;
      EXPECT_EQ(kind[c.statement], PlantedKind::kConsensusDisagree) << c.statement;
    }
  }
  const auto planted_agree = std::count(kind.begin(), kind.end(), PlantedKind::kConsensusAgree);
  const auto planted_disagree =
      std::count(kind.begin(), kind.end(), PlantedKind::kConsensusDisagree);
  EXPECT_EQ(agree_found, std::min<std::int64_t>(5, planted_agree));
  EXPECT_EQ(disagree_found, std::min<std::int64_t>(5, planted_disagree));
  ASSERT_EQ(map.divisive.size(), 5u);
  for (const DivisiveStatement& d : map.divisive) {
    EXPECT_EQ(kind[d.statement], PlantedKind::kDivisive) << d.statement;
    EXPECT_NE(d.agreeing_group, d.disagreeing_group);
    EXPECT_GT(d.divisiveness, 1.0);
  }
  // Group-informed consensus is highest on planted consensus-agree statements.
  for (const StatementStats& st : map.statements) {
    if (kind[st.statement] == PlantedKind::kConsensusAgree) {
      EXPECT_GT(st.agree_consensus, 0.5);
    } else if (kind[st.statement] == PlantedKind::kDivisive) {
      EXPECT_LT(st.agree_consensus, 0.1);
    }
  }
  // Every group has representative statements, and they are divisive ones (what sets a
  // group apart is where it differs from the others).
  for (const Group& g : map.groups) {
    ASSERT_FALSE(g.representative.empty()) << g.label;
    EXPECT_LE(g.representative.size(), 5u);
    for (const RepresentativeStatement& r : g.representative) {
      EXPECT_EQ(kind[r.statement], PlantedKind::kDivisive) << g.label << " " << r.statement;
      EXPECT_GT(r.repness, 1.0);
      EXPECT_TRUE(Significant90(r.repness_test));
    }
  }
}

TEST(OpinionMapTest, CountsAddUpOverallAndPerGroup) {
  PlantedConversationSpec spec;
  spec.participants = 300;
  spec.statements = 20;
  spec.min_votes_each = 3;
  spec.max_votes_each = 12;
  const Planted planted = MakePlanted(spec);
  const OpinionMap map = MustMap(planted.matrix);
  std::vector<VoteCounts> expected(spec.statements), clustered(spec.statements);
  for (const VoteRecord& v : planted.conversation.votes) {
    for (auto* c : {&expected[v.statement], &clustered[v.statement]}) {
      if (c == &clustered[v.statement] && !map.participants[v.participant].clustered) continue;
      if (v.vote == Vote::kAgree) ++c->agree;
      if (v.vote == Vote::kDisagree) ++c->disagree;
      if (v.vote == Vote::kPass) ++c->pass;
    }
  }
  for (std::int32_t j = 0; j < spec.statements; ++j) {
    EXPECT_EQ(map.statements[j].overall, expected[j]);
    VoteCounts sum;
    for (const VoteCounts& g : map.statements[j].by_group) {
      sum.agree += g.agree;
      sum.disagree += g.disagree;
      sum.pass += g.pass;
    }
    EXPECT_EQ(sum, clustered[j]);
  }
}

TEST(OpinionMapTest, SameSeedSameMap) {
  PlantedConversationSpec spec;
  spec.participants = 700;
  spec.statements = 50;
  spec.seed = 5;
  const Planted planted = MakePlanted(spec);
  OpinionMapOptions options;
  options.seed = 99;
  const OpinionMap a = MustMap(planted.matrix, options);
  const OpinionMap b = MustMap(planted.matrix, options);
  ASSERT_EQ(a.groups.size(), b.groups.size());
  for (std::int32_t p = 0; p < a.num_participants; ++p) {
    EXPECT_EQ(a.participants[p].position.x, b.participants[p].position.x);
    EXPECT_EQ(a.participants[p].position.y, b.participants[p].position.y);
    EXPECT_EQ(a.participants[p].group, b.participants[p].group);
  }
  EXPECT_EQ(a.silhouette, b.silhouette);
  ASSERT_EQ(a.divisive.size(), b.divisive.size());
  for (std::size_t i = 0; i < a.divisive.size(); ++i) {
    EXPECT_EQ(a.divisive[i].statement, b.divisive[i].statement);
  }
}

TEST(OpinionMapTest, PcaComponentsAreEigenvectorsOfTheImputedCovariance) {
  PlantedConversationSpec spec;
  spec.participants = 200;
  spec.statements = 12;
  spec.min_votes_each = 4;
  spec.max_votes_each = 12;
  const Planted planted = MakePlanted(spec);
  const VoteMatrix& votes = planted.matrix;
  OpinionMapOptions options;
  options.pca_tolerance = 1e-12;
  options.pca_max_iterations = 5000;
  const Pca pca = ComputePca(votes, options);
  // Dense reference: mean-impute, centre, form G = C^T C.
  const std::int32_t m = spec.statements;
  std::vector<std::vector<double>> dense(spec.participants, std::vector<double>(m));
  for (std::int32_t p = 0; p < spec.participants; ++p) {
    for (std::int32_t j = 0; j < m; ++j) dense[p][j] = pca.means[j];
    const auto cols = votes.StatementsOf(p);
    for (std::size_t k = 0; k < cols.size(); ++k) dense[p][cols[k]] = votes.VotesOf(p)[k];
  }
  for (std::int32_t j = 0; j < m; ++j) {
    double sum = 0;
    for (const auto& row : dense) sum += row[j];
    EXPECT_NEAR(sum / spec.participants, pca.means[j], 1e-12);  // imputing keeps the mean
  }
  std::vector<std::vector<double>> gram(m, std::vector<double>(m, 0.0));
  for (const auto& row : dense) {
    for (std::int32_t i = 0; i < m; ++i) {
      for (std::int32_t j = 0; j < m; ++j) {
        gram[i][j] += (row[i] - pca.means[i]) * (row[j] - pca.means[j]);
      }
    }
  }
  for (int c = 0; c < 2; ++c) {
    const auto& v = pca.components[c];
    double norm = 0;
    for (double e : v) norm += e * e;
    EXPECT_NEAR(norm, 1.0, 1e-9);
    for (std::int32_t i = 0; i < m; ++i) {
      double gv = 0;
      for (std::int32_t j = 0; j < m; ++j) gv += gram[i][j] * v[j];
      EXPECT_NEAR(gv, pca.eigenvalues[c] * v[i], 1e-5 * pca.eigenvalues[0]);
    }
  }
  double dot = 0;
  for (std::int32_t j = 0; j < m; ++j) dot += pca.components[0][j] * pca.components[1][j];
  EXPECT_NEAR(dot, 0.0, 1e-9);
  EXPECT_GE(pca.eigenvalues[0], pca.eigenvalues[1]);
}

TEST(OpinionMapTest, SparseVoterProjectionIsScaled) {
  // Two participants with the same single vote direction: one voted on 1 of 4 statements,
  // the other on all 4 the same way. Polis scales the sparse voter by sqrt(4 / 1).
  std::vector<VoteRecord> votes;
  for (std::int32_t j = 0; j < 4; ++j) votes.push_back({0, j, Vote::kAgree});
  votes.push_back({1, 0, Vote::kAgree});
  for (std::int32_t j = 0; j < 4; ++j) votes.push_back({2, j, Vote::kDisagree});
  const VoteMatrix m = MustBuild(3, 4, votes);
  const Pca pca = ComputePca(m, {});
  const Point2 sparse = ProjectParticipant(m, pca, 1);
  const double raw = (1 - pca.means[0]) * pca.components[0][0];
  ASSERT_NE(raw, 0.0);
  EXPECT_NEAR(sparse.x, 2.0 * raw, 1e-12);
}

TEST(OpinionMapTest, NoVotesAtAll) {
  const OpinionMap empty = MustMap(MustBuild(0, 0, {}));
  EXPECT_TRUE(empty.groups.empty());
  EXPECT_TRUE(empty.statements.empty());
  const OpinionMap silent = MustMap(MustBuild(10, 5, {}));
  EXPECT_EQ(silent.num_clustered, 0);
  EXPECT_TRUE(silent.groups.empty());
  ASSERT_EQ(silent.statements.size(), 5u);
  EXPECT_EQ(silent.statements[0].overall.seen(), 0);
  EXPECT_TRUE(silent.consensus.empty());
  EXPECT_EQ(silent.statements[0].agree_consensus, 0.0);
  EXPECT_TRUE(silent.divisive.empty());
  for (const ParticipantPlacement& p : silent.participants) {
    EXPECT_EQ(p.group, -1);
    EXPECT_EQ(p.position.x, 0.0);
  }
}

TEST(OpinionMapTest, OneStatementSplitsAgreeFromDisagree) {
  std::vector<VoteRecord> votes;
  for (std::int32_t p = 0; p < 20; ++p) {
    votes.push_back({p, 0, p % 2 == 0 ? Vote::kAgree : Vote::kDisagree});
  }
  const OpinionMap map = MustMap(MustBuild(20, 1, votes));
  EXPECT_EQ(map.min_votes_applied, 1);
  EXPECT_EQ(map.num_clustered, 20);
  ASSERT_EQ(map.groups.size(), 2u);
  for (std::int32_t p = 2; p < 20; ++p) {
    EXPECT_EQ(map.participants[p].group, map.participants[p % 2].group);
  }
  EXPECT_NE(map.participants[0].group, map.participants[1].group);
  ASSERT_EQ(map.divisive.size(), 1u);
  EXPECT_EQ(map.divisive[0].agreeing_group, map.participants[0].group);
}

TEST(OpinionMapTest, EveryoneIdenticalMakesOneGroup) {
  std::vector<VoteRecord> votes;
  for (std::int32_t p = 0; p < 30; ++p) {
    for (std::int32_t j = 0; j < 10; ++j) {
      votes.push_back({p, j, j < 7 ? Vote::kAgree : Vote::kDisagree});
    }
  }
  const OpinionMap map = MustMap(MustBuild(30, 10, votes));
  ASSERT_EQ(map.groups.size(), 1u);
  EXPECT_EQ(map.groups[0].size, 30);
  EXPECT_EQ(map.silhouette, 0.0);
  EXPECT_TRUE(map.divisive.empty());
  // All ten statements are unanimous: five agree and five disagree consensus at most.
  std::int32_t agree = 0, disagree = 0;
  for (const ConsensusStatement& c : map.consensus) {
    (c.direction == Direction::kAgree ? agree : disagree) += 1;
    EXPECT_EQ(c.direction == Direction::kAgree, c.statement < 7);
  }
  EXPECT_EQ(agree, 5);
  EXPECT_EQ(disagree, 3);
}

TEST(OpinionMapTest, ParticipantsBelowTheVoteMinimumAreCountedButNotClustered) {
  PlantedConversationSpec spec;
  spec.participants = 400;
  spec.statements = 30;
  spec.groups = 2;
  spec.min_votes_each = 10;
  spec.max_votes_each = 20;
  auto conversation = GeneratePlantedConversation(spec);
  ASSERT_TRUE(conversation.ok());
  std::vector<VoteRecord> votes = conversation->votes;
  // Five newcomers with three votes each.
  for (std::int32_t p = 400; p < 405; ++p) {
    for (std::int32_t j = 0; j < 3; ++j) votes.push_back({p, j, Vote::kAgree});
  }
  const OpinionMap map = MustMap(MustBuild(405, 30, votes));
  EXPECT_EQ(map.num_clustered, 400);
  for (std::int32_t p = 400; p < 405; ++p) {
    EXPECT_FALSE(map.participants[p].clustered);
    EXPECT_EQ(map.participants[p].group, -1);
    EXPECT_EQ(map.participants[p].votes, 3);
  }
  // Their votes are in the overall counts but in no group's.
  std::int32_t in_groups = 0;
  for (const VoteCounts& g : map.statements[0].by_group) in_groups += g.agree;
  EXPECT_EQ(map.statements[0].overall.agree, in_groups + 5);
  // A stricter minimum leaves everyone out: no groups.
  OpinionMapOptions strict;
  strict.min_votes = 25;
  strict.min_clustered = 0;
  const OpinionMap none = MustMap(MustBuild(405, 30, votes), strict);
  EXPECT_EQ(none.num_clustered, 0);
  EXPECT_TRUE(none.groups.empty());
}

TEST(OpinionMapTest, SmallPanelIsToppedUpWithTheMostActiveVoters) {
  // Twelve panel members, ten statements: two camps of six. Members 0-3 voted on only
  // four statements (below the minimum of 7) but the map still places them in groups.
  std::vector<VoteRecord> votes;
  for (std::int32_t p = 0; p < 12; ++p) {
    const std::int32_t n = p < 4 ? 4 : 10;
    for (std::int32_t j = 0; j < n; ++j) {
      const bool camp = p % 2 == 0;
      votes.push_back({p, j, (j % 2 == 0) == camp ? Vote::kAgree : Vote::kDisagree});
    }
  }
  votes.push_back({12, 0, Vote::kPass});  // a thirteenth person who voted once
  const OpinionMap map = MustMap(MustBuild(14, 10, votes));  // 13: nobody, no votes
  EXPECT_EQ(map.num_clustered, 13);  // everyone with a vote, short of the 15 top-up
  EXPECT_FALSE(map.participants[13].clustered);
  ASSERT_EQ(map.groups.size(), 2u);
  for (std::int32_t p = 2; p < 12; ++p) {
    EXPECT_EQ(map.participants[p].group, map.participants[p % 2].group) << p;
  }
  EXPECT_NE(map.participants[0].group, map.participants[1].group);
  OpinionMapOptions no_top_up;
  no_top_up.min_clustered = 0;
  EXPECT_EQ(MustMap(MustBuild(14, 10, votes), no_top_up).num_clustered, 8);
}

TEST(OpinionMapTest, RejectsInvalidOptions) {
  OpinionMapOptions bad;
  bad.max_groups = 1;
  bad.min_votes = 0;
  auto map = ComputeOpinionMap(MustBuild(0, 0, {}), bad);
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(map.error().fields.size(), 2u);
}

TEST(OpinionMapTest, PolisTestStatistics) {
  EXPECT_DOUBLE_EQ(ProportionTest(0, 0), 1.0);  // 2 * sqrt(1) * (1/1 - 1/2)
  EXPECT_NEAR(ProportionTest(9, 10), 2 * std::sqrt(11.0) * (10.0 / 11 - 0.5), 1e-12);
  EXPECT_GT(TwoProportionTest(9, 1, 10, 10), 1.2816);
  EXPECT_LT(TwoProportionTest(1, 9, 10, 10), 0);
  EXPECT_EQ(TwoProportionTest(5, 5, 5, 5), 0.0);  // pooled proportion 1: no variance
}

}  // namespace
}  // namespace communitise::deliberation
