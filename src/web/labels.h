// Internal to src/web: the words pages use for the application's enum values.
#ifndef COMMUNITISE_WEB_LABELS_H_
#define COMMUNITISE_WEB_LABELS_H_

#include <nlohmann/json.hpp>

#include <string>

#include "communitise/app/app.h"

namespace communitise::web {

std::string NatureLabel(app::ServiceNature v);
std::string NetworkLabel(app::NetworkKind v);
std::string EligibilityLabel(app::EligibilityMode v);
std::string PbRuleLabel(app::PbRule v);
std::string BallotLabel(app::BallotType v);
// "£100,000" from pence (pennies shown only when not whole pounds).
std::string Money(int64_t pence);
// Rules as GOV.UK summary-list rows: [{key, value}].
nlohmann::json RuleRows(const app::ConstitutionRules& r);
// Published text as paragraphs: [{text}].
nlohmann::json Paragraphs(const std::string& text);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_LABELS_H_
