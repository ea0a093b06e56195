#include "communitise/deliberation/decision_tally.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace communitise::deliberation {
namespace {

Status ValidateShare(const Share& s, std::string_view field) {
  if (s.denominator <= 0 || s.numerator < 0 || s.numerator > s.denominator) {
    return Error::Field(std::string(field),
                        "must be a share between 0 and 1 with a positive denominator");
  }
  return Status::Ok();
}

// Smallest k with d*k >= n*total (at least) or d*k > n*total (more than).
// REQUIRES: a valid share and 0 <= total <= 2^40, denominator <= 10^6 (no overflow).
std::int64_t Needed(const Share& s, std::int64_t total, bool strictly_more) {
  const std::int64_t product = s.numerator * total;
  if (strictly_more) return product / s.denominator + 1;
  return (product + s.denominator - 1) / s.denominator;
}

bool Meets(const Share& s, std::int64_t k, std::int64_t total, bool strictly_more) {
  return strictly_more ? s.denominator * k > s.numerator * total
                       : s.denominator * k >= s.numerator * total;
}

// "80%" when the share is a whole percentage, otherwise "2/3".
std::string ShareText(const Share& s) {
  if ((s.numerator * 100) % s.denominator == 0) {
    return std::to_string(s.numerator * 100 / s.denominator) + "%";
  }
  return std::to_string(s.numerator) + "/" + std::to_string(s.denominator);
}

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

Result<TallyOutcome> TallyCounts(const DecisionRule& rule, const MotionCounts& counts,
                                 std::int64_t eligible, std::int64_t conflicted) {
  RETURN_IF_ERROR(ValidateShare(rule.quorum, "quorum"));
  RETURN_IF_ERROR(ValidateShare(rule.threshold, "threshold"));
  // Bounds that keep every product below 2^63: counts up to 2^40, denominators up to 10^6.
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 40;
  constexpr std::int64_t kMaxDenominator = 1'000'000;
  if (counts.for_votes < 0 || counts.against < 0 || counts.abstain < 0 || eligible < 0 ||
      conflicted < 0) {
    return Error::InvalidArgument("Vote counts cannot be negative");
  }
  if (eligible > kMaxCount || rule.quorum.denominator > kMaxDenominator ||
      rule.threshold.denominator > kMaxDenominator) {
    return Error::InvalidArgument("The numbers in the tally are too large");
  }
  if (counts.for_votes + counts.against + counts.abstain > eligible) {
    return Error::InvalidArgument("More votes were counted than there are eligible members");
  }
  TallyOutcome t;
  t.eligible = eligible;
  t.conflicted = conflicted;
  t.counted = counts;
  t.took_part = counts.for_votes + counts.against +
                (rule.abstentions_count_towards_quorum ? counts.abstain : 0);
  t.quorum_needed = Needed(rule.quorum, eligible, /*strictly_more=*/false);
  t.quorate = Meets(rule.quorum, t.took_part, eligible, false);
  t.votes_cast = counts.for_votes + counts.against +
                 (rule.abstentions_in_threshold_base ? counts.abstain : 0);
  const bool strict = rule.comparison == ThresholdComparison::kMoreThan;
  t.for_needed = std::max<std::int64_t>(1, Needed(rule.threshold, t.votes_cast, strict));
  t.threshold_met = counts.for_votes > 0 && Meets(rule.threshold, counts.for_votes, t.votes_cast,
                                                  strict);
  t.passed = t.quorate && t.threshold_met;
  t.binding = t.passed && rule.binding;

  std::string& e = t.explanation;
  e += Plural(eligible, "member was", "members were") + " eligible to vote";
  if (conflicted > 0) {
    e += " (" + Plural(conflicted, "member", "members") +
         " with a declared interest excluded)";
  }
  e += ". For " + std::to_string(counts.for_votes) + ", against " +
       std::to_string(counts.against) + ", abstained " + std::to_string(counts.abstain) + ". ";
  e += "The quorum is " + ShareText(rule.quorum) + " of eligible members taking part, " +
       (rule.abstentions_count_towards_quorum ? "abstentions included"
                                              : "abstentions not included") +
       ", so at least " + std::to_string(t.quorum_needed) + " needed; " +
       std::to_string(t.took_part) + " took part, so the vote is " +
       (t.quorate ? "quorate" : "not quorate") + ". ";
  e += "To pass, " + std::string(strict ? "more than " : "at least ") +
       ShareText(rule.threshold) + " of votes cast (" +
       (rule.abstentions_in_threshold_base ? "counting abstentions" : "not counting abstentions") +
       ") must be for: " + std::to_string(t.votes_cast) + " cast, so " +
       std::to_string(t.for_needed) + " for needed; " + std::to_string(counts.for_votes) +
       (t.threshold_met ? " is enough. " : " is not enough. ");
  if (t.passed) {
    e += rule.binding ? "The motion passed and is binding."
                      : "The motion passed as a recommendation; it is not binding and needs a "
                        "public response.";
  } else if (!t.quorate) {
    e += "The motion did not pass because the vote was not quorate; it is not binding.";
  } else {
    e += "The motion did not pass; it is not binding.";
  }
  return t;
}

Result<MemberTally> TallyMemberVotes(const DecisionRule& rule,
                                     const std::vector<std::string>& members,
                                     const std::vector<std::string>& conflicted,
                                     const std::vector<MemberVote>& votes) {
  const std::set<std::string, std::less<>> member_set(members.begin(), members.end());
  std::set<std::string, std::less<>> conflicted_set;
  for (const std::string& c : conflicted) {
    if (member_set.contains(c)) conflicted_set.insert(c);
  }
  MemberTally tally;
  MotionCounts counts;
  std::set<std::string_view> voted;
  for (const MemberVote& v : votes) {
    if (!voted.insert(v.member).second) {
      return Error::InvalidArgument("A member has two votes on the same motion",
                                    {{"votes", "member " + v.member + " voted twice"}});
    }
    if (!member_set.contains(v.member)) {
      tally.refused.push_back({v.member, "not a member entitled to vote on this motion"});
      continue;
    }
    if (conflicted_set.contains(v.member)) {
      tally.refused.push_back({v.member, "declared an interest in this motion"});
      continue;
    }
    switch (v.choice) {
      case Choice::kFor: ++counts.for_votes; break;
      case Choice::kAgainst: ++counts.against; break;
      case Choice::kAbstain: ++counts.abstain; break;
    }
  }
  const auto eligible = static_cast<std::int64_t>(member_set.size() - conflicted_set.size());
  ASSIGN_OR_RETURN(tally.outcome, TallyCounts(rule, counts, eligible,
                                              static_cast<std::int64_t>(conflicted_set.size())));
  if (!tally.refused.empty()) {
    tally.outcome.explanation += " " + Plural(static_cast<std::int64_t>(tally.refused.size()),
                                              "vote was", "votes were") +
                                 " refused.";
  }
  return tally;
}

}  // namespace communitise::deliberation
