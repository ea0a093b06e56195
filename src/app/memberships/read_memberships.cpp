// Use cases: a person's own memberships; the members of a programme (officers only).
#include "communitise/app/memberships.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

Result<std::vector<Membership>> Memberships::Mine(const Actor* actor) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  std::vector<Membership> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(memberships_store::kColumns) +
                                             " WHERE m.user_id = :u ORDER BY p.name",
                                         {actor->user_id}));
    for (const auto& r : rows) out.push_back(memberships_store::FromRow(r, true));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Membership>> Memberships::MineIn(const Actor* actor, int64_t programme_id) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  std::optional<Membership> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(memberships_store::kColumns) +
                                               " WHERE m.user_id = :u AND m.programme_id = :p",
                                           {actor->user_id, programme_id}));
    if (row) out = memberships_store::FromRow(*row, true);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Membership>> Memberships::List(const Actor* actor, int64_t programme_id,
                                                  std::optional<MembershipStatus> status) {
  std::vector<Membership> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto body, tx.QueryOne("SELECT public_body_id FROM programmes WHERE id = :p",
                                            {programme_id}));
    if (!body) return Error::NotFound("No such programme");
    if (!memberships_permissions::CanSeeMembers(actor, body->Int(0), programme_id)) {
      return actor ? Error::Forbidden() : Error::Unauthenticated();
    }
    std::string sql = std::string(memberships_store::kColumns) + " WHERE m.programme_id = :p";
    storage::Params params = {programme_id};
    if (status) {
      sql += " AND m.status = :s";
      params.emplace_back(std::string(ToString(*status)));
    }
    sql += " ORDER BY m.created_at, m.id";
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const auto& r : rows) out.push_back(memberships_store::FromRow(r, true));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
