// Decision tallies: whether a motion put to a forum or board is quorate, passed and
// binding, computed exactly from the votes and the constitution's rule.
//
// All arithmetic is on integers (64-bit): a share p/q of n is met by k when
// q*k >= p*n (or q*k > p*n for a "more than" rule), so 80% of 7 votes is 100*for >= 80*7
// and never a rounded floating-point number.
//
// Definitions (the words the explanation uses):
//  - eligible: members entitled to vote on this motion, after removing conflicted members
//    (those who declared an interest). A conflicted member's vote is refused, never
//    counted, and they do not count towards the quorum's base.
//  - took part: members whose vote was counted (for, against and abstain; abstentions
//    count only when `abstentions_count_towards_quorum`).
//  - quorate: took part >= quorum share of eligible.
//  - votes cast (the threshold's base): for + against, plus abstain when
//    `abstentions_in_threshold_base`.
//  - threshold met: for >= (or >) threshold share of votes cast, and at least one vote
//    for; a motion with no votes cast cannot pass, whatever the rule.
//  - passed: quorate and threshold met.
//  - binding: passed and the constitution makes the forum's outcomes binding. A passed
//    motion of a non-binding forum is a recommendation that needs a public response.
//
// Thread safety: pure functions. Errors (kInvalidArgument): a share with a non-positive
// denominator, a negative numerator or a numerator above the denominator; negative
// counts; more counted votes than eligible members; a member voting twice.
#ifndef COMMUNITISE_DELIBERATION_DECISION_TALLY_H_
#define COMMUNITISE_DELIBERATION_DECISION_TALLY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::deliberation {

// numerator/denominator, e.g. {80, 100} for 80% or {2, 3} for two thirds.
struct Share {
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
};

enum class ThresholdComparison {
  kAtLeast,   // for >= share of votes cast (Gdansk: at least 80%)
  kMoreThan,  // for >  share of votes cast (a simple majority: more than half)
};

struct DecisionRule {
  Share quorum{0, 1};  // of eligible members who must take part
  bool abstentions_count_towards_quorum = true;
  Share threshold{1, 2};
  ThresholdComparison comparison = ThresholdComparison::kMoreThan;
  bool abstentions_in_threshold_base = false;
  bool binding = false;  // the constitution makes this forum's outcomes binding
};

enum class Choice { kFor, kAgainst, kAbstain };

struct MotionCounts {
  std::int64_t for_votes = 0;
  std::int64_t against = 0;
  std::int64_t abstain = 0;
};

struct TallyOutcome {
  std::int64_t eligible = 0;
  std::int64_t conflicted = 0;  // excluded from eligible
  MotionCounts counted;
  std::int64_t took_part = 0;      // as the quorum counts it
  std::int64_t quorum_needed = 0;  // smallest turnout that is quorate
  std::int64_t votes_cast = 0;     // the threshold's base
  std::int64_t for_needed = 0;     // smallest number of votes for that meets the threshold
  bool quorate = false;
  bool threshold_met = false;
  bool passed = false;
  bool binding = false;
  std::string explanation;  // plain English, one paragraph
};

// Tally from counts already cleaned of refused votes. `eligible` excludes conflicted
// members; `conflicted` is only reported.
Result<TallyOutcome> TallyCounts(const DecisionRule& rule, const MotionCounts& counts,
                                 std::int64_t eligible, std::int64_t conflicted = 0);

struct MemberVote {
  std::string member;
  Choice choice = Choice::kAbstain;
};

struct RefusedVote {
  std::string member;
  std::string reason;
};

struct MemberTally {
  TallyOutcome outcome;
  std::vector<RefusedVote> refused;  // votes not counted, in input order
};

// Tally from individual votes. `members` are everyone entitled to vote before conflicts
// (duplicates ignored); `conflicted` those with a declared interest in this motion.
// Votes from conflicted members and from people who are not members are refused (listed
// with the reason) and not counted. Errors as above, plus a member voting twice.
Result<MemberTally> TallyMemberVotes(const DecisionRule& rule,
                                     const std::vector<std::string>& members,
                                     const std::vector<std::string>& conflicted,
                                     const std::vector<MemberVote>& votes);

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_DECISION_TALLY_H_
