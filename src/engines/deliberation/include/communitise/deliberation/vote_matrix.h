// VoteMatrix: the sparse participants x statements matrix of an opinion map.
//
// Each cell is agree (+1), disagree (-1), pass (0) or missing (the participant has not
// voted on that statement). Only cast votes are stored, row by row (compressed sparse
// rows, columns sorted within a row), so a conversation of 100,000 participants who each
// vote on a few dozen of 1,000 statements takes a few megabytes, not a dense matrix.
//
// Ownership: a value type; owns its arrays. Thread safety: immutable after construction,
// so concurrent reads are safe.
//
// Participants and statements are dense indices 0..n-1 chosen by the caller (the
// storage layer maps its ids onto them). A vote is the participant's final vote: callers
// that allow changing a vote pass only the latest one.
#ifndef COMMUNITISE_DELIBERATION_VOTE_MATRIX_H_
#define COMMUNITISE_DELIBERATION_VOTE_MATRIX_H_

#include <cstdint>
#include <span>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::deliberation {

// Stored as its numeric value; the values are the matrix entries and never change.
enum class Vote : std::int8_t { kDisagree = -1, kPass = 0, kAgree = 1 };

struct VoteRecord {
  std::int32_t participant = 0;
  std::int32_t statement = 0;
  Vote vote = Vote::kPass;
};

class VoteMatrix {
 public:
  // An empty matrix (0 x 0).
  VoteMatrix() = default;

  // Builds the matrix from votes in any order.
  // REQUIRES: nothing. Errors (kInvalidArgument): negative sizes; a participant or
  // statement index outside [0, n); a vote value other than -1/0/+1; two votes by the
  // same participant on the same statement.
  static Result<VoteMatrix> FromVotes(std::int32_t num_participants,
                                      std::int32_t num_statements,
                                      std::span<const VoteRecord> votes);

  std::int32_t num_participants() const { return num_participants_; }
  std::int32_t num_statements() const { return num_statements_; }
  std::int64_t num_votes() const { return static_cast<std::int64_t>(columns_.size()); }

  // The statements participant `p` voted on (ascending) and the matching vote values
  // (-1, 0, +1). REQUIRES: 0 <= p < num_participants().
  std::span<const std::int32_t> StatementsOf(std::int32_t p) const {
    return {columns_.data() + row_start_[p], columns_.data() + row_start_[p + 1]};
  }
  std::span<const std::int8_t> VotesOf(std::int32_t p) const {
    return {values_.data() + row_start_[p], values_.data() + row_start_[p + 1]};
  }
  std::int32_t VoteCount(std::int32_t p) const {
    return static_cast<std::int32_t>(row_start_[p + 1] - row_start_[p]);
  }

 private:
  std::int32_t num_participants_ = 0;
  std::int32_t num_statements_ = 0;
  std::vector<std::int64_t> row_start_ = {0};  // size num_participants_ + 1
  std::vector<std::int32_t> columns_;
  std::vector<std::int8_t> values_;
};

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_VOTE_MATRIX_H_
