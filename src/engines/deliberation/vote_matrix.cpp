#include "communitise/deliberation/vote_matrix.h"

#include <algorithm>
#include <string>

namespace communitise::deliberation {

Result<VoteMatrix> VoteMatrix::FromVotes(std::int32_t num_participants,
                                         std::int32_t num_statements,
                                         std::span<const VoteRecord> votes) {
  if (num_participants < 0 || num_statements < 0) {
    return Error::InvalidArgument("The number of participants and statements cannot be negative");
  }
  VoteMatrix m;
  m.num_participants_ = num_participants;
  m.num_statements_ = num_statements;
  m.row_start_.assign(static_cast<std::size_t>(num_participants) + 1, 0);
  for (const VoteRecord& v : votes) {
    if (v.participant < 0 || v.participant >= num_participants) {
      return Error::InvalidArgument("A vote names a participant that is not in the conversation",
                                    {});
    }
    if (v.statement < 0 || v.statement >= num_statements) {
      return Error::InvalidArgument("A vote names a statement that is not in the conversation");
    }
    const int value = static_cast<int>(v.vote);
    if (value < -1 || value > 1) {
      return Error::InvalidArgument("A vote must be agree, disagree or pass");
    }
    ++m.row_start_[static_cast<std::size_t>(v.participant) + 1];
  }
  for (std::size_t i = 1; i < m.row_start_.size(); ++i) m.row_start_[i] += m.row_start_[i - 1];

  // Counting sort into rows, then sort each (short) row by statement.
  m.columns_.resize(votes.size());
  m.values_.resize(votes.size());
  std::vector<std::int64_t> next(m.row_start_.begin(), m.row_start_.end() - 1);
  for (const VoteRecord& v : votes) {
    const std::int64_t at = next[v.participant]++;
    m.columns_[at] = v.statement;
    m.values_[at] = static_cast<std::int8_t>(v.vote);
  }
  std::vector<std::pair<std::int32_t, std::int8_t>> row;
  for (std::int32_t p = 0; p < num_participants; ++p) {
    const std::int64_t begin = m.row_start_[p];
    const std::int64_t end = m.row_start_[p + 1];
    row.clear();
    for (std::int64_t i = begin; i < end; ++i) row.emplace_back(m.columns_[i], m.values_[i]);
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0 && row[i].first == row[i - 1].first) {
        return Error::InvalidArgument(
            "A participant has two votes on the same statement; pass only the latest",
            {});
      }
      m.columns_[begin + static_cast<std::int64_t>(i)] = row[i].first;
      m.values_[begin + static_cast<std::int64_t>(i)] = row[i].second;
    }
  }
  return m;
}

}  // namespace communitise::deliberation
