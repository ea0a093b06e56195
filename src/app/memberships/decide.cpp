// Use case: an officer approves or rejects a pending application.
#include "../common/util.h"
#include "communitise/app/memberships.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kDecide =
    "UPDATE memberships SET status = :s, reason = :r, decided_at = :t, decided_by = :u "
    "WHERE id = :id AND status = 'pending'";
}  // namespace

Result<Membership> Memberships::Decide(const Actor* actor, int64_t membership_id,
                                       const DecideForm& form) {
  std::vector<FieldError> errors;
  const bool approve = form.decision == "approve";
  if (!approve && form.decision != "reject") {
    errors.push_back({"decision", "Select approve or reject"});
  }
  const std::string reason = internal::Trim(form.reason);
  if (form.decision == "reject" && reason.empty()) {
    errors.push_back({"reason", "Enter the reason for rejecting the application"});
  }
  internal::CheckLength(errors, "reason", "a reason", reason, 0, 1000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();

  const int64_t now = clock_.NowSeconds();
  Membership out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(memberships_store::kColumns) +
                                               " WHERE m.id = :id",
                                           {membership_id}));
    if (!row) return Error::NotFound("No such application");
    const Membership m = memberships_store::FromRow(*row, false);
    ASSIGN_OR_RETURN(auto body, tx.QueryOne("SELECT public_body_id FROM programmes WHERE id = :p",
                                            {m.programme_id}));
    if (!memberships_permissions::CanDecideApplications(actor, body->Int(0), m.programme_id)) {
      return Error::Forbidden();
    }
    if (m.status != MembershipStatus::kPending) {
      return Error::Conflict("This application has already been decided");
    }
    const MembershipStatus next = approve ? MembershipStatus::kActive : MembershipStatus::kRejected;
    ASSIGN_OR_RETURN(int64_t changed, tx.Exec(kDecide, {std::string(ToString(next)), reason, now,
                                                        actor->user_id, membership_id}));
    if (changed != 1) return Error::Conflict("This application has already been decided");
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, m.programme_id,
                                    approve ? "membership.approve" : "membership.reject",
                                    "membership:" + std::to_string(membership_id)));
    ASSIGN_OR_RETURN(auto after, tx.QueryOne(std::string(memberships_store::kColumns) +
                                                 " WHERE m.id = :id",
                                             {membership_id}));
    out = memberships_store::FromRow(*after, /*personal=*/true);
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
