// Memberships: who belongs to a programme's commissioning community.
//
// A geographic programme whose constitution says "postcode_in_areas" is joined by
// postcode: the postcode must be in one of the programme's areas (imported by
// PublicBodies::ImportAreas). A need/interest programme is applied to with a statement:
// under "officer_approval" the membership is pending until an officer decides; under
// "self_declaration" it is active at once. The minimum age of the constitution in force
// is confirmed by the applicant ("confirm_age"). The postcode and statement are
// personal data: only the member themself and officers/admins/facilitators of the
// programme's body or programme see them.
//
// Ownership: holds references to the Database and Clock. Thread safety: safe for
// concurrent use.
//
// Form field names: "postcode", "confirm_age", "statement", "decision" (approve |
// reject), "reason".
#ifndef COMMUNITISE_APP_MEMBERSHIPS_H_
#define COMMUNITISE_APP_MEMBERSHIPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

enum class MembershipStatus { kActive, kPending, kRejected, kLeft };
// "active" "pending" "rejected" "left"
std::string_view ToString(MembershipStatus v);

struct Membership {
  int64_t id = 0;
  int64_t programme_id = 0;
  std::string programme_name;
  int64_t user_id = 0;
  std::string display_name;
  MembershipStatus status = MembershipStatus::kPending;
  std::string basis;                      // eligibility mode it was granted under
  std::optional<std::string> area_name;   // geographic: the area the postcode is in
  std::optional<std::string> postcode;    // personal: see header comment
  std::optional<std::string> statement;   // personal
  std::optional<std::string> email;       // personal: officers only
  std::string reason;                     // decision reason (rejections)
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
};

struct JoinForm {
  std::string postcode;    // "postcode": required for postcode_in_areas
  bool confirm_age = false;  // "confirm_age": required when minimum_age > 0
  std::string statement;   // "statement": need/interest: 1..2,000, why they qualify
};

struct DecideForm {
  std::string decision;    // "decision": approve | reject
  std::string reason;      // "reason": required to reject, 0..1,000
};

class Memberships {
 public:
  Memberships(storage::Database& db, Clock& clock) : db_(db), clock_(clock) {}

  // Joins (geographic, by postcode) or applies (need/interest), by the eligibility mode
  // of the constitution in force now. Signed-in people only.
  // Errors: kUnauthenticated; kInvalidArgument (fields; "postcode" when the postcode is
  // outside the programme's areas); kNotFound; kConflict when already a member or
  // already pending (re-applying after leaving or rejection is allowed).
  Result<Membership> Join(const Actor* actor, int64_t programme_id, const JoinForm& form);

  // Officers/admins/facilitators of the body or programme decide a pending application.
  // Errors: kInvalidArgument (fields), kForbidden, kNotFound, kConflict (not pending).
  Result<Membership> Decide(const Actor* actor, int64_t membership_id, const DecideForm& form);

  // The member leaves. Errors: kUnauthenticated, kNotFound (not a member).
  Status Leave(const Actor* actor, int64_t programme_id);

  // The actor's own memberships (personal fields filled). Errors: kUnauthenticated.
  Result<std::vector<Membership>> Mine(const Actor* actor);
  // The actor's membership of one programme, if any. Errors: kUnauthenticated.
  Result<std::optional<Membership>> MineIn(const Actor* actor, int64_t programme_id);

  // Officers/admins/facilitators: every membership of the programme with personal
  // fields; `status` filters when given. Errors: kForbidden, kNotFound.
  Result<std::vector<Membership>> List(const Actor* actor, int64_t programme_id,
                                       std::optional<MembershipStatus> status = std::nullopt);

 private:
  storage::Database& db_;
  Clock& clock_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_MEMBERSHIPS_H_
