// Demo data: a council with two programmes modelled on the report, so a fresh server
// has something real to show.
//   - Durham-style Area Action Partnership: geographic, discretionary, binding
//     participatory budgeting + formal governance, board 7 residents / 7 councillors /
//     7 partners, £100,000 a year.
//   - Barking & Dagenham-style NCIL resident panel: geographic, non-binding deliberation
//     through a panel chosen by lottery.
// With wards and postcodes, an officer, a facilitator, a councillor and residents, all
// with known demo passwords.
//
// SeedDemo is idempotent: on a database that already holds the demo it changes nothing
// and returns the same sign-in details. Every change goes through the use cases, so it
// is audited like any other.
#ifndef COMMUNITISE_APP_DEMO_H_
#define COMMUNITISE_APP_DEMO_H_

#include <string>
#include <vector>

#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

struct DemoLogin {
  std::string email;
  std::string password;
  std::string description;  // "Officer, Durham County Council"
};

struct DemoSummary {
  std::string public_body_slug;
  std::vector<std::string> programme_slugs;
  std::vector<DemoLogin> logins;
  std::vector<std::string> sample_postcodes;  // postcodes that join each programme
};

// REQUIRES: db migrated.
Result<DemoSummary> SeedDemo(storage::Database& db, Clock& clock);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_DEMO_H_
