// Use case: view a person; personal data only for those allowed to see it.
#include "communitise/app/accounts.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kSelectUser =
    "SELECT id, display_name, email, site_admin, created_at FROM users WHERE id = :id";
constexpr std::string_view kTheirBodies =
    "SELECT public_body_id FROM role_grants WHERE user_id = :u UNION "
    "SELECT p.public_body_id FROM memberships m JOIN programmes p ON p.id = m.programme_id "
    "WHERE m.user_id = :u2";
}  // namespace

Result<UserView> Accounts::GetUser(const Actor* actor, int64_t user_id) {
  UserView out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(kSelectUser, {user_id}));
    if (!row) return Error::NotFound("No such person");
    out.id = row->Int(0);
    out.display_name = row->Text(1);
    out.site_admin = row->Bool(3);
    out.created_at = row->Int(4);
    ASSIGN_OR_RETURN(Actor a, accounts_store::LoadActor(tx, user_id));
    out.roles = a.roles;
    ASSIGN_OR_RETURN(auto bodies, tx.Query(kTheirBodies, {user_id, user_id}));
    std::vector<int64_t> body_ids;
    for (const auto& b : bodies) body_ids.push_back(b.Int(0));
    if (accounts_permissions::CanSeeEmail(actor, user_id, body_ids)) out.email = row->Text(2);
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
