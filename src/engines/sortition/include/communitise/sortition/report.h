// A self-contained picture of a selection for the people in the pool and the
// organisers: an HTML page with inline SVG (no scripts, fonts or other assets) showing
// (1) every respondent's selection probability, sorted, under LEXIMIN beside the legacy
// algorithm, with the equal-chance line k/n; and (2) for each quota category the
// share of the pool, of the drawn panel and the quota range, value by value.
//
// Thread safety: pure function. Errors: none (inputs are REQUIRED to fit the problem).
#ifndef COMMUNITISE_SORTITION_REPORT_H_
#define COMMUNITISE_SORTITION_REPORT_H_

#include <string>
#include <vector>

#include "communitise/sortition/model.h"

namespace communitise::sortition {

struct ReportInput {
  std::string title;
  const Problem* problem = nullptr;
  std::vector<double> leximin;  // per person
  std::vector<double> legacy;   // per person; empty when not estimated
  int legacy_draws = 0;
  std::vector<int> panel;       // indices into problem->people
  std::string notes;            // one paragraph, e.g. seed and timings
};

// REQUIRES: problem set; leximin (and legacy if given) sized like problem->people.
std::string RenderReportHtml(const ReportInput& input);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_REPORT_H_
