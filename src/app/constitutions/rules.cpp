// Pure rules of a community constitution: validation, defaults, JSON.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "../common/util.h"
#include "communitise/app/constitutions.h"

namespace communitise::app {

namespace {
template <typename E, size_t N>
std::optional<E> ParseBy(std::string_view text, const std::array<E, N>& all) {
  for (E e : all) {
    if (ToString(e) == text) return e;
  }
  return std::nullopt;
}
constexpr std::array kModes = {EligibilityMode::kPostcodeInAreas, EligibilityMode::kOfficerApproval,
                               EligibilityMode::kSelfDeclaration};
constexpr std::array kPbRules = {PbRule::kGreedy, PbRule::kEqualShares, PbRule::kPhragmen};
constexpr std::array kBallots = {BallotType::kApproval, BallotType::kKnapsack,
                                 BallotType::kCumulative, BallotType::kRanking};
constexpr std::array kOpeners = {RoundOpeners::kOfficers, RoundOpeners::kOfficersAndBoard};

bool Uses(const std::vector<Method>& methods, Method m) {
  return std::find(methods.begin(), methods.end(), m) != methods.end();
}
}  // namespace

std::string_view ToString(EligibilityMode v) {
  switch (v) {
    case EligibilityMode::kPostcodeInAreas: return "postcode_in_areas";
    case EligibilityMode::kOfficerApproval: return "officer_approval";
    case EligibilityMode::kSelfDeclaration: return "self_declaration";
  }
  return "";
}
std::optional<EligibilityMode> ParseEligibilityMode(std::string_view t) { return ParseBy(t, kModes); }

std::string_view ToString(PbRule v) {
  switch (v) {
    case PbRule::kGreedy: return "greedy";
    case PbRule::kEqualShares: return "equal_shares";
    case PbRule::kPhragmen: return "phragmen";
  }
  return "";
}
std::optional<PbRule> ParsePbRule(std::string_view t) { return ParseBy(t, kPbRules); }

std::string_view ToString(BallotType v) {
  switch (v) {
    case BallotType::kApproval: return "approval";
    case BallotType::kKnapsack: return "knapsack";
    case BallotType::kCumulative: return "cumulative";
    case BallotType::kRanking: return "ranking";
  }
  return "";
}
std::optional<BallotType> ParseBallotType(std::string_view t) { return ParseBy(t, kBallots); }

std::string_view ToString(RoundOpeners v) {
  switch (v) {
    case RoundOpeners::kOfficers: return "officers";
    case RoundOpeners::kOfficersAndBoard: return "officers_and_board";
  }
  return "";
}
std::optional<RoundOpeners> ParseRoundOpeners(std::string_view t) { return ParseBy(t, kOpeners); }

Status ValidateRules(const ConstitutionRules& r, NetworkKind network,
                     const std::vector<Method>& methods) {
  std::vector<FieldError> e;
  auto range = [&](const char* field, const char* label, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      e.push_back({field, std::string(label) + " must be between " + std::to_string(lo) +
                              " and " + std::to_string(hi)});
      return false;
    }
    return true;
  };
  if (r.eligibility_mode == EligibilityMode::kPostcodeInAreas &&
      network != NetworkKind::kGeographic) {
    e.push_back({"eligibility_mode",
                 "Eligibility by postcode is only for geographic programmes; choose officer "
                 "approval or self-declaration"});
  }
  range("minimum_age", "Minimum age", r.minimum_age, 0, 120);
  if (range("binding_threshold_percent", "Binding threshold", r.binding_threshold_percent, 1,
            100) &&
      Uses(methods, Method::kBindingDeliberation) && r.binding_threshold_percent <= 50) {
    e.push_back({"binding_threshold_percent",
                 "Binding threshold must be more than 50% when decisions are binding"});
  }
  range("quorum_percent", "Quorum", r.quorum_percent, 1, 100);
  range("response_days", "Days to answer a recommendation", r.response_days, 1, 365);
  const bool min_ok =
      range("approval_minimum", "Fewest projects on a ballot", r.approval_minimum, 1, 1000);
  if (r.approval_limit < 0 || r.approval_limit > 1000) {
    e.push_back({"approval_limit", "Approval limit must be between 0 and 1000"});
  } else if (r.approval_limit > 0 && r.ballot_type != BallotType::kApproval) {
    e.push_back({"approval_limit", "An approval limit is only for approval ballots"});
  } else if (r.approval_limit > 0 && min_ok && r.approval_limit < r.approval_minimum) {
    e.push_back({"approval_limit", "Approval limit must not be below the fewest projects on a "
                                   "ballot (" + std::to_string(r.approval_minimum) + ")"});
  }
  range("points", "Points each voter shares out", r.points, 1, 1000);
  // All three are checked, so every bad field gets its message.
  const bool residents_ok = range("board_residents", "Resident seats", r.board.residents, 0, 100);
  const bool councillors_ok =
      range("board_councillors", "Councillor seats", r.board.councillors, 0, 100);
  const bool partners_ok = range("board_partners", "Partner seats", r.board.partners, 0, 100);
  if (residents_ok && councillors_ok && partners_ok) {
    if (r.board.Total() > 0 && r.board.residents == 0) {
      e.push_back({"board_residents", "A community board needs at least one resident seat"});
    }
    if (Uses(methods, Method::kFormalGovernance) && r.board.Total() < 3) {
      e.push_back({"board_residents",
                   "Formal governance needs a board of at least 3 seats, including residents"});
    }
    if (r.pb_round_openers == RoundOpeners::kOfficersAndBoard && r.board.Total() == 0) {
      e.push_back({"pb_round_openers",
                   "Only a programme with a board can give the board the power to open rounds"});
    }
  }
  return internal::FieldErrors(std::move(e));
}

ConstitutionRules DefaultRules(NetworkKind network, const std::vector<Method>& methods) {
  ConstitutionRules r;
  r.eligibility_mode = network == NetworkKind::kGeographic ? EligibilityMode::kPostcodeInAreas
                                                           : EligibilityMode::kOfficerApproval;
  r.binding_threshold_percent = 60;
  if (Uses(methods, Method::kFormalGovernance)) r.board = BoardComposition{7, 7, 7};
  return r;
}

std::string RulesToJson(const ConstitutionRules& r) {
  nlohmann::json j = {
      {"eligibility_mode", ToString(r.eligibility_mode)},
      {"minimum_age", r.minimum_age},
      {"binding_threshold_percent", r.binding_threshold_percent},
      {"quorum_percent", r.quorum_percent},
      {"response_days", r.response_days},
      {"pb_rule", ToString(r.pb_rule)},
      {"ballot_type", ToString(r.ballot_type)},
      {"approval_minimum", r.approval_minimum},
      {"approval_limit", r.approval_limit},
      {"points", r.points},
      {"board_residents", r.board.residents},
      {"board_councillors", r.board.councillors},
      {"board_partners", r.board.partners},
      {"pb_round_openers", ToString(r.pb_round_openers)},
  };
  return j.dump();
}

Result<ConstitutionRules> RulesFromJson(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Error::InvalidArgument("The rules must be a JSON object");
  ConstitutionRules r;
  std::vector<FieldError> e;
  auto text = [&](const char* field, auto parse, auto& out) {
    if (!j.contains(field)) return;
    const auto& v = j[field];
    auto parsed = v.is_string() ? parse(v.template get<std::string>()) : std::nullopt;
    if (!parsed) {
      e.push_back({field, "Select a valid option"});
    } else {
      out = *parsed;
    }
  };
  auto number = [&](const char* field, int& out) {
    if (!j.contains(field)) return;
    const auto& v = j[field];
    if (!v.is_number_integer() || v.get<int64_t>() < -1000000 || v.get<int64_t>() > 1000000) {
      e.push_back({field, "Enter a whole number"});
    } else {
      out = v.get<int>();
    }
  };
  text("eligibility_mode", ParseEligibilityMode, r.eligibility_mode);
  text("pb_rule", ParsePbRule, r.pb_rule);
  text("ballot_type", ParseBallotType, r.ballot_type);
  text("pb_round_openers", ParseRoundOpeners, r.pb_round_openers);
  number("minimum_age", r.minimum_age);
  number("binding_threshold_percent", r.binding_threshold_percent);
  number("quorum_percent", r.quorum_percent);
  number("response_days", r.response_days);
  number("approval_minimum", r.approval_minimum);
  number("approval_limit", r.approval_limit);
  number("points", r.points);
  number("board_residents", r.board.residents);
  number("board_councillors", r.board.councillors);
  number("board_partners", r.board.partners);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(e)));
  return r;
}

}  // namespace communitise::app
