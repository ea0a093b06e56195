#include "communitise/deliberation/vote_matrix.h"

#include <gtest/gtest.h>

#include <vector>

namespace communitise::deliberation {
namespace {

TEST(VoteMatrixTest, StoresRowsSortedByStatement) {
  const std::vector<VoteRecord> votes = {
      {1, 3, Vote::kAgree}, {0, 2, Vote::kDisagree}, {1, 0, Vote::kPass}, {0, 0, Vote::kAgree}};
  auto m = VoteMatrix::FromVotes(3, 4, votes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->num_votes(), 4);
  ASSERT_EQ(m->VoteCount(0), 2);
  EXPECT_EQ(m->StatementsOf(0)[0], 0);
  EXPECT_EQ(m->VotesOf(0)[0], 1);
  EXPECT_EQ(m->StatementsOf(0)[1], 2);
  EXPECT_EQ(m->VotesOf(0)[1], -1);
  ASSERT_EQ(m->VoteCount(1), 2);
  EXPECT_EQ(m->StatementsOf(1)[0], 0);
  EXPECT_EQ(m->VotesOf(1)[0], 0);
  EXPECT_EQ(m->StatementsOf(1)[1], 3);
  EXPECT_EQ(m->VoteCount(2), 0);
}

TEST(VoteMatrixTest, RefusesOutOfRangeAndDuplicateVotes) {
  const std::vector<VoteRecord> out_of_range = {{3, 0, Vote::kAgree}};
  EXPECT_EQ(VoteMatrix::FromVotes(3, 4, out_of_range).error().code, ErrorCode::kInvalidArgument);
  const std::vector<VoteRecord> bad_statement = {{0, -1, Vote::kAgree}};
  EXPECT_FALSE(VoteMatrix::FromVotes(3, 4, bad_statement).ok());
  const std::vector<VoteRecord> bad_value = {{0, 0, static_cast<Vote>(2)}};
  EXPECT_FALSE(VoteMatrix::FromVotes(3, 4, bad_value).ok());
  const std::vector<VoteRecord> twice = {{0, 1, Vote::kAgree}, {0, 1, Vote::kDisagree}};
  EXPECT_FALSE(VoteMatrix::FromVotes(3, 4, twice).ok());
  EXPECT_FALSE(VoteMatrix::FromVotes(-1, 4, {}).ok());
}

TEST(VoteMatrixTest, EmptyMatrix) {
  auto m = VoteMatrix::FromVotes(0, 0, {});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->num_participants(), 0);
  EXPECT_EQ(m->num_votes(), 0);
}

}  // namespace
}  // namespace communitise::deliberation
