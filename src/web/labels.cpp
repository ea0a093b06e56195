#include "labels.h"

#include <fmt/format.h>

namespace communitise::web {

std::string NatureLabel(app::ServiceNature v) {
  switch (v) {
    case app::ServiceNature::kDiscretionary: return "Discretionary and non-core services";
    case app::ServiceNature::kCore: return "Core and statutory services";
    case app::ServiceNature::kBoth: return "Both discretionary and core services";
  }
  return "";
}

std::string NetworkLabel(app::NetworkKind v) {
  return v == app::NetworkKind::kGeographic ? "Geographic: everyone in a set of areas"
                                            : "Service need or interest";
}

std::string EligibilityLabel(app::EligibilityMode v) {
  switch (v) {
    case app::EligibilityMode::kPostcodeInAreas: return "Anyone with a postcode in the areas";
    case app::EligibilityMode::kOfficerApproval: return "People an officer approves";
    case app::EligibilityMode::kSelfDeclaration: return "Anyone who declares the need or interest";
  }
  return "";
}

std::string PbRuleLabel(app::PbRule v) {
  switch (v) {
    case app::PbRule::kGreedy: return "Most votes first, until the money runs out";
    case app::PbRule::kEqualShares: return "Method of Equal Shares";
    case app::PbRule::kPhragmen: return "Sequential Phragmén";
  }
  return "";
}

std::string BallotLabel(app::BallotType v) {
  switch (v) {
    case app::BallotType::kApproval: return "Approval: choose the projects you support";
    case app::BallotType::kKnapsack: return "Knapsack: choose projects within the budget";
    case app::BallotType::kCumulative: return "Points: share out your points";
    case app::BallotType::kRanking: return "Ranking: put projects in order";
  }
  return "";
}

std::string Money(int64_t pence) {
  std::string pounds = std::to_string(pence / 100);
  std::string grouped;
  int n = 0;
  for (auto it = pounds.rbegin(); it != pounds.rend(); ++it, ++n) {
    if (n > 0 && n % 3 == 0) grouped.insert(grouped.begin(), ',');
    grouped.insert(grouped.begin(), *it);
  }
  if (pence % 100 == 0) return "£" + grouped;
  return fmt::format("£{}.{:02}", grouped, pence % 100);
}

nlohmann::json RuleRows(const app::ConstitutionRules& r) {
  nlohmann::json rows = nlohmann::json::array();
  auto add = [&rows](std::string key, std::string value) {
    rows.push_back({{"key", std::move(key)}, {"value", std::move(value)}});
  };
  add("Who can join", EligibilityLabel(r.eligibility_mode));
  add("Minimum age", r.minimum_age == 0 ? "None" : std::to_string(r.minimum_age));
  add("Support needed for a binding decision", std::to_string(r.binding_threshold_percent) + "%");
  add("Quorum", std::to_string(r.quorum_percent) + "% of participants");
  add("Days the body has to answer a recommendation", std::to_string(r.response_days));
  add("How the budget is allocated", PbRuleLabel(r.pb_rule));
  std::string ballot = BallotLabel(r.ballot_type);
  if (r.ballot_type == app::BallotType::kApproval || r.ballot_type == app::BallotType::kRanking) {
    if (r.approval_limit > 0) {
      ballot += fmt::format(" ({} to {} projects)", r.approval_minimum, r.approval_limit);
    } else if (r.approval_minimum > 1) {
      ballot += fmt::format(" (at least {} projects)", r.approval_minimum);
    }
  } else if (r.ballot_type == app::BallotType::kCumulative) {
    ballot += fmt::format(" ({} points each)", r.points);
  }
  add("Ballot", ballot);
  if (r.board.Total() > 0) {
    add("Board", fmt::format("{} residents, {} councillors, {} partner organisations",
                             r.board.residents, r.board.councillors, r.board.partners));
  } else {
    add("Board", "No board");
  }
  add("Who may open a participatory budgeting round",
      r.pb_round_openers == app::RoundOpeners::kOfficersAndBoard
          ? "Officers and members of the board"
          : "Officers");
  return rows;
}

nlohmann::json Paragraphs(const std::string& text) {
  nlohmann::json out = nlohmann::json::array();
  std::string current;
  std::size_t i = 0;
  auto flush = [&] {
    while (!current.empty() && (current.back() == '\n' || current.back() == ' ')) current.pop_back();
    if (!current.empty()) out.push_back({{"text", current}});
    current.clear();
  };
  while (i < text.size()) {
    auto nl = text.find('\n', i);
    std::string line = text.substr(i, nl == std::string::npos ? std::string::npos : nl - i);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      flush();
    } else {
      if (!current.empty()) current += ' ';
      current += line;
    }
    if (nl == std::string::npos) break;
    i = nl + 1;
  }
  flush();
  return out;
}

}  // namespace communitise::web
