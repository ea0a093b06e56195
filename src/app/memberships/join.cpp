// Use case: join a geographic programme by postcode, or apply to a need/interest one,
// by the eligibility rules of the constitution in force now.
#include "../common/util.h"
#include "../constitutions/store.h"
#include "../programmes/store.h"
#include "communitise/app/memberships.h"
#include "communitise/app/public_bodies.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kAreaOfPostcode =
    "SELECT pa.area_id FROM postcodes pc JOIN programme_areas pa ON pa.area_id = pc.area_id "
    "WHERE pc.public_body_id = :b AND pc.postcode = :p AND pa.programme_id = :g";
constexpr std::string_view kExisting =
    "SELECT id, status FROM memberships WHERE programme_id = :p AND user_id = :u";
constexpr std::string_view kInsert =
    "INSERT INTO memberships (programme_id, user_id, status, basis, postcode, area_id, statement, "
    "reason, created_at) VALUES (:p, :u, :s, :b, :pc, :a, :st, '', :t) RETURNING id";
constexpr std::string_view kRenew =
    "UPDATE memberships SET status = :s, basis = :b, postcode = :pc, area_id = :a, statement = :st, "
    "reason = '', created_at = :t, decided_at = NULL, decided_by = NULL WHERE id = :id";
}  // namespace

Result<Membership> Memberships::Join(const Actor* actor, int64_t programme_id,
                                     const JoinForm& form) {
  if (!actor) return Error::Unauthenticated("Sign in to join a programme");
  if (!memberships_permissions::CanJoin(actor)) return Error::Forbidden();
  const int64_t now = clock_.NowSeconds();
  Membership out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
    ASSIGN_OR_RETURN(auto constitution, constitutions_store::InForceAt(tx, programme_id, now));
    if (!constitution) return Error::Conflict("This programme is not open to members yet");
    const ConstitutionRules& rules = constitution->rules;

    // Validate against the rules in force.
    std::vector<FieldError> errors;
    std::string postcode;
    std::optional<int64_t> area_id;
    std::string statement = internal::Trim(form.statement);
    MembershipStatus status = MembershipStatus::kActive;
    if (rules.eligibility_mode == EligibilityMode::kPostcodeInAreas) {
      postcode = NormalisePostcode(form.postcode);
      if (internal::Trim(form.postcode).empty()) {
        errors.push_back({"postcode", "Enter your postcode"});
      } else if (postcode.empty()) {
        errors.push_back({"postcode", "Enter a full UK postcode, like DH1 3LE"});
      } else {
        ASSIGN_OR_RETURN(auto area, tx.QueryOne(kAreaOfPostcode,
                                                {p.public_body_id, postcode, programme_id}));
        if (!area) {
          errors.push_back({"postcode", postcode + " is not in the areas this programme covers"});
        } else {
          area_id = area->Int(0);
        }
      }
      statement.clear();
    } else {
      internal::CheckLength(errors, "statement", "why this programme is for you", statement, 1,
                            2000);
      if (rules.eligibility_mode == EligibilityMode::kOfficerApproval) {
        status = MembershipStatus::kPending;
      }
    }
    if (rules.minimum_age > 0 && !form.confirm_age) {
      errors.push_back({"confirm_age", "Confirm that you are " + std::to_string(rules.minimum_age) +
                                           " or older"});
    }
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));

    ASSIGN_OR_RETURN(auto existing, tx.QueryOne(kExisting, {programme_id, actor->user_id}));
    const std::string basis(ToString(rules.eligibility_mode));
    const storage::Value st = statement.empty() ? storage::Null() : storage::Value(statement);
    const storage::Value pc = postcode.empty() ? storage::Null() : storage::Value(postcode);
    int64_t id = 0;
    if (existing) {
      const std::string was = existing->Text(1);
      if (was == "active") return Error::Conflict("You are already a member of this programme");
      if (was == "pending") return Error::Conflict("Your application is already waiting for a decision");
      id = existing->Int(0);
      RETURN_IF_ERROR(tx.Exec(kRenew, {std::string(ToString(status)), basis, pc,
                                       storage::Opt(area_id), st, now, id}));
    } else {
      ASSIGN_OR_RETURN(id, tx.Insert(kInsert, {programme_id, actor->user_id,
                                               std::string(ToString(status)), basis, pc,
                                               storage::Opt(area_id), st, now}));
    }
    // No personal data in the public record: not the postcode, not the statement.
    RETURN_IF_ERROR(internal::Audit(
        tx, now, actor, programme_id,
        status == MembershipStatus::kActive ? "membership.join" : "membership.apply",
        "membership:" + std::to_string(id),
        {{"basis", basis}, {"status", ToString(status)}, {"constitution_version", constitution->version}}));
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(memberships_store::kColumns) +
                                               " WHERE m.id = :id",
                                           {id}));
    out = memberships_store::FromRow(*row, /*personal=*/true);
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
