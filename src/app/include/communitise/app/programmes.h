// Programmes: one communitised area of commissioning owned by a public body, created by
// an officer answering the report's four questions (SPEC §1).
//
// The officer answers 1 (nature of service, with services from the body's catalogue),
// 2 (network: geographic with a set of areas, or need/interest with eligibility
// criteria) and 3 (methods, any non-empty blend). Question 4 — depth on the arrow of
// participation — and the quadrant are DERIVED from the answers, never entered.
// Creating a programme also publishes constitution version 1 (DefaultRules unless
// rules are given). Changing scope later (widening the nature, adding areas or
// services, changing methods) keeps every earlier scope in the programme's scope
// history, so depth is tracked over time.
//
// Ownership: holds references to the Database and Clock. Thread safety: safe for
// concurrent use.
//
// Form field names: "public_body_id", "name", "slug", "summary", "nature", "services"
// (list of service names; new names are added to the catalogue with the programme's
// nature), "network", "areas" (list of area codes), "eligibility_criteria", "methods"
// (list), "annual_budget_pence", "constitution_text", "change_note".
#ifndef COMMUNITISE_APP_PROGRAMMES_H_
#define COMMUNITISE_APP_PROGRAMMES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/constitutions.h"
#include "communitise/app/public_bodies.h"
#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

// One entry of a body's service catalogue.
struct Service {
  int64_t id = 0;
  int64_t public_body_id = 0;
  std::string name;               // "Parks and green spaces"
  ServiceNature nature = ServiceNature::kDiscretionary;  // kDiscretionary or kCore
};

// A programme's scope at one time (one row of its scope history).
struct ProgrammeScope {
  int64_t at = 0;                 // when this scope took effect
  ServiceNature nature = ServiceNature::kDiscretionary;
  NetworkKind network = NetworkKind::kGeographic;
  std::vector<Method> methods;    // in arrow order, no repeats
  Method depth = Method::kOperationalEngagement;  // DeriveDepth(methods)
  std::vector<Quadrant> quadrants;                // DeriveQuadrants(nature, network)
  std::vector<std::string> area_codes;
  std::vector<std::string> services;
  std::string change_note;
};

struct Programme {
  int64_t id = 0;
  int64_t public_body_id = 0;
  std::string public_body_name;
  std::string slug;               // unique across the site
  std::string name;
  std::string summary;
  std::string eligibility_criteria;  // need/interest programmes: who qualifies
  std::optional<int64_t> annual_budget_pence;
  ProgrammeScope scope;           // the current scope
  std::vector<Area> areas;        // current areas (geographic), by name
  int64_t created_at = 0;
  int64_t member_count = 0;       // active members
};

struct CreateProgrammeForm {
  int64_t public_body_id = 0;          // "public_body_id"
  std::string name;                    // "name": 1..200
  std::string slug;                    // "slug": optional; derived from name
  std::string summary;                 // "summary": 0..5,000
  std::string nature;                  // "nature": discretionary | core | both
  std::vector<std::string> services;   // "services": 1+ names, each 1..200
  std::string network;                 // "network": geographic | need_interest
  std::vector<std::string> areas;      // "areas": geographic: 1+ codes of the body's areas
  std::string eligibility_criteria;    // "eligibility_criteria": need_interest: 1..2,000
  std::vector<std::string> methods;    // "methods": 1+ of the four method names
  std::optional<int64_t> annual_budget_pence;  // "annual_budget_pence": >= 0
  std::string constitution_text;       // "constitution_text": optional; a default is written
  std::optional<ConstitutionRules> rules;  // optional; DefaultRules otherwise
};

// Changes the scope; fields left empty keep their current value. Narrowing is allowed
// too (a body may stop a method), and recorded all the same.
struct UpdateScopeForm {
  std::string nature;                  // "nature"
  std::vector<std::string> services;   // "services": the full new list when non-empty
  std::vector<std::string> areas;      // "areas": the full new list when non-empty
  std::vector<std::string> methods;    // "methods": the full new list when non-empty
  std::string change_note;             // "change_note": required, 1..1,000
};

class Programmes {
 public:
  Programmes(storage::Database& db, Clock& clock) : db_(db), clock_(clock) {}

  // Officers and admins of the body, and site admins. Errors: kInvalidArgument (fields),
  // kForbidden, kNotFound (body), kConflict (field "slug" taken).
  Result<Programme> Create(const Actor* actor, const CreateProgrammeForm& form);

  // Officers/admins of the body or the programme, and site admins.
  Result<Programme> UpdateScope(const Actor* actor, int64_t programme_id,
                                const UpdateScopeForm& form);

  // Public. Errors: kNotFound.
  Result<Programme> Get(int64_t programme_id);
  Result<Programme> GetBySlug(std::string_view slug);
  // Public: all programmes, or one body's, by name.
  Result<std::vector<Programme>> List(std::optional<int64_t> public_body_id = std::nullopt);
  // Public: every scope the programme has had, oldest first.
  Result<std::vector<ProgrammeScope>> ScopeHistory(int64_t programme_id);
  // Public: a body's service catalogue, by name.
  Result<std::vector<Service>> ListServices(int64_t public_body_id);

 private:
  storage::Database& db_;
  Clock& clock_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PROGRAMMES_H_
