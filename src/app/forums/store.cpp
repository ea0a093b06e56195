#include "store.h"

namespace communitise::app::forums_store {

Result<Forum> Load(storage::Tx& tx, int64_t forum_id) {
  ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT f.id, f.programme_id, g.public_body_id, g.slug, g.name, f.panel_id, "
                  "f.kind, f.name, f.purpose, f.binding, f.community_statements, f.created_at, "
                  "(SELECT COUNT(*) FROM forum_members m WHERE m.forum_id = f.id AND "
                  "m.active = 1) FROM forums f JOIN programmes g ON g.id = f.programme_id "
                  "WHERE f.id = :id",
                  {forum_id}));
  if (!row) return Error::NotFound("No such forum");
  const storage::Row& r = *row;
  Forum f;
  f.id = r.Int(0);
  f.programme_id = r.Int(1);
  f.public_body_id = r.Int(2);
  f.programme_slug = r.Text(3);
  f.programme_name = r.Text(4);
  f.panel_id = r.OptInt(5);
  f.kind = ParseForumKind(r.Text(6)).value_or(ForumKind::kRoundtable);
  f.name = r.Text(7);
  f.purpose = r.Text(8);
  f.binding = r.Bool(9);
  f.community_statements = r.Bool(10);
  f.created_at = r.Int(11);
  f.member_count = r.Int(12);
  return f;
}

Result<std::optional<int64_t>> ActiveMemberId(storage::Tx& tx, int64_t forum_id, int64_t user_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM forum_members WHERE forum_id = :f AND "
                                         "user_id = :u AND active = 1",
                                         {forum_id, user_id}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->Int(0));
}

Result<int64_t> UpsertMember(storage::Tx& tx, int64_t forum_id, int64_t user_id,
                             std::string_view source, int64_t now) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM forum_members WHERE forum_id = :f AND "
                                         "user_id = :u",
                                         {forum_id, user_id}));
  if (row) {
    RETURN_IF_ERROR(tx.Exec("UPDATE forum_members SET active = 1 WHERE id = :id", {row->Int(0)}));
    return row->Int(0);
  }
  return tx.Insert("INSERT INTO forum_members (forum_id, user_id, source, active, joined_at) "
                   "VALUES (:f, :u, :s, 1, :t) RETURNING id",
                   {forum_id, user_id, std::string(source), now});
}

}  // namespace communitise::app::forums_store
