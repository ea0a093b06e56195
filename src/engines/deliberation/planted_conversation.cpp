#include "communitise/deliberation/planted_conversation.h"

#include <algorithm>
#include <cmath>

#include "random.h"

namespace communitise::deliberation {

Result<PlantedConversation> GeneratePlantedConversation(const PlantedConversationSpec& spec) {
  const double shares = spec.consensus_agree_share + spec.consensus_disagree_share +
                        spec.divisive_share;
  if (spec.participants < 0 || spec.statements < 1 || spec.groups < 1 ||
      spec.min_votes_each < 0 || spec.min_votes_each > spec.max_votes_each ||
      spec.consensus_agree_share < 0 || spec.consensus_disagree_share < 0 ||
      spec.divisive_share < 0 || shares > 1.0 + 1e-12) {
    return Error::InvalidArgument("The planted conversation specification is not valid");
  }
  SplitMix64 rng(spec.seed);
  PlantedConversation out;
  const std::int32_t m = spec.statements;

  // Statement kinds: exact counts, shuffled.
  const auto count_of = [m](double share) {
    return static_cast<std::int32_t>(std::floor(share * m + 0.5));
  };
  const std::int32_t n_agree = count_of(spec.consensus_agree_share);
  const std::int32_t n_disagree = std::min(m - n_agree, count_of(spec.consensus_disagree_share));
  const std::int32_t n_divisive = std::min(m - n_agree - n_disagree, count_of(spec.divisive_share));
  out.kind.assign(m, PlantedKind::kNoise);
  for (std::int32_t j = 0; j < m; ++j) {
    if (j < n_agree) {
      out.kind[j] = PlantedKind::kConsensusAgree;
    } else if (j < n_agree + n_disagree) {
      out.kind[j] = PlantedKind::kConsensusDisagree;
    } else if (j < n_agree + n_disagree + n_divisive) {
      out.kind[j] = PlantedKind::kDivisive;
    }
  }
  for (std::int32_t j = m - 1; j > 0; --j) {
    std::swap(out.kind[j], out.kind[rng.Below(static_cast<std::uint64_t>(j) + 1)]);
  }
  // Which groups are "for" each divisive statement.
  std::vector<std::vector<bool>> favours(m, std::vector<bool>(spec.groups, false));
  std::int32_t t = 0;
  for (std::int32_t j = 0; j < m; ++j) {
    if (out.kind[j] != PlantedKind::kDivisive) continue;
    const std::int32_t pivot = t % spec.groups;
    const bool single = (t / spec.groups) % 2 == 0 || spec.groups < 3;
    for (std::int32_t g = 0; g < spec.groups; ++g) favours[j][g] = single ? g == pivot : g != pivot;
    ++t;
  }

  // Popularity falls with the index: weight 1 / (1 + 10 j / m).
  std::vector<double> cumulative(m);
  double total = 0;
  for (std::int32_t j = 0; j < m; ++j) {
    total += 1.0 / (1.0 + 10.0 * j / m);
    cumulative[j] = total;
  }

  out.group_of.resize(spec.participants);
  std::vector<std::int32_t> chosen;
  for (std::int32_t p = 0; p < spec.participants; ++p) {
    const std::int32_t g = static_cast<std::int32_t>(rng.Below(spec.groups));
    out.group_of[p] = g;
    const std::int32_t want = std::min<std::int32_t>(
        m, spec.min_votes_each +
               static_cast<std::int32_t>(rng.Below(spec.max_votes_each - spec.min_votes_each + 1)));
    chosen.clear();
    while (static_cast<std::int32_t>(chosen.size()) < want) {
      std::int32_t j;
      if (want * 2 > m) {
        j = static_cast<std::int32_t>(rng.Below(m));  // dense voters: uniform is fine
      } else {
        const double r = rng.Uniform() * total;
        j = static_cast<std::int32_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                                      cumulative.begin());
        j = std::min(j, m - 1);
      }
      if (std::find(chosen.begin(), chosen.end(), j) != chosen.end()) continue;
      chosen.push_back(j);
      double pa = 0.35, pd = 0.35;
      switch (out.kind[j]) {
        case PlantedKind::kConsensusAgree: pa = 0.85; pd = 0.05; break;
        case PlantedKind::kConsensusDisagree: pa = 0.05; pd = 0.85; break;
        case PlantedKind::kDivisive:
          pa = favours[j][g] ? 0.85 : 0.05;
          pd = favours[j][g] ? 0.05 : 0.85;
          break;
        case PlantedKind::kNoise: break;
      }
      const double r = rng.Uniform();
      const Vote v = r < pa ? Vote::kAgree : (r < pa + pd ? Vote::kDisagree : Vote::kPass);
      out.votes.push_back(VoteRecord{p, j, v});
    }
  }
  return out;
}

}  // namespace communitise::deliberation
