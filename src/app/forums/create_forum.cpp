// Use cases: create a forum (from a panel or a trained pool), read forums and their
// members, add members, follow the panel's replacements.
#include <algorithm>

#include "../common/util.h"
#include "../panels/store.h"
#include "../programmes/store.h"
#include "communitise/app/forums.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {
namespace {

struct KindName {
  ForumKind kind;
  std::string_view name, label;
};
constexpr KindName kKinds[] = {
    {ForumKind::kRoundtable, "roundtable", "Roundtable"},
    {ForumKind::kWorkshop, "workshop", "Workshop"},
    {ForumKind::kDeliberativeGathering, "deliberative_gathering", "Deliberative gathering"},
    {ForumKind::kCitizensAssembly, "citizens_assembly", "Citizens' assembly"},
    {ForumKind::kResidentPanel, "resident_panel", "Resident panel"},
    {ForumKind::kCitizenCommissioners, "citizen_commissioners", "Citizen commissioners"},
};

// Makes the forum's panel members match the panel's current members.
Status Sync(storage::Tx& tx, const Forum& f, int64_t now) {
  if (!f.panel_id) return Status::Ok();
  ASSIGN_OR_RETURN(auto members, panels_store::CurrentMembers(tx, *f.panel_id));
  for (const auto& m : members) {
    if (m.status == "dropped_out") {
      RETURN_IF_ERROR(tx.Exec("UPDATE forum_members SET active = 0 WHERE forum_id = :f AND "
                              "user_id = :u AND source = 'panel'",
                              {f.id, m.user_id}));
    }
  }
  for (const auto& m : members) {
    if (m.status != "dropped_out") {
      RETURN_IF_ERROR(forums_store::UpsertMember(tx, f.id, m.user_id, "panel", now));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(ForumKind v) {
  for (const auto& k : kKinds) {
    if (k.kind == v) return k.name;
  }
  return "roundtable";
}

std::string_view Label(ForumKind v) {
  for (const auto& k : kKinds) {
    if (k.kind == v) return k.label;
  }
  return "Roundtable";
}

std::optional<ForumKind> ParseForumKind(std::string_view text) {
  for (const auto& k : kKinds) {
    if (k.name == text) return k.kind;
  }
  return std::nullopt;
}

const std::vector<ForumKind>& AllForumKinds() {
  static const std::vector<ForumKind> all = {
      ForumKind::kRoundtable,      ForumKind::kWorkshop,      ForumKind::kDeliberativeGathering,
      ForumKind::kCitizensAssembly, ForumKind::kResidentPanel, ForumKind::kCitizenCommissioners};
  return all;
}

bool Forums::CanOrganise(const Actor* actor, const Forum& forum) const {
  return forums_permissions::CanOrganise(actor, forum.public_body_id, forum.programme_id);
}

bool Forums::CanRespond(const Actor* actor, int64_t public_body_id, int64_t programme_id) const {
  return forums_permissions::CanRespond(actor, public_body_id, programme_id);
}

Result<Forum> Forums::Create(const Actor* actor, int64_t programme_id,
                             const CreateForumForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Forum out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
    if (!forums_permissions::CanOrganise(actor, p.public_body_id, p.id)) {
      return Error::Forbidden("Only the programme's officers and facilitators run forums");
    }
    std::vector<FieldError> errors;
    const auto kind = ParseForumKind(form.kind);
    if (!kind) errors.push_back({"kind", "Choose what kind of forum this is"});
    const std::string name = internal::Trim(form.name);
    const std::string purpose = internal::Trim(form.purpose);
    internal::CheckLength(errors, "name", "the forum's name", name, 1, 200);
    internal::CheckLength(errors, "purpose", "the purpose", purpose, 0, 2000);
    const auto& methods = p.scope.methods;
    if (form.binding &&
        std::find(methods.begin(), methods.end(), Method::kBindingDeliberation) == methods.end()) {
      errors.push_back({"binding", "This programme does not use binding deliberation, so its "
                                   "forums cannot bind the body"});
    }
    if (form.panel_id) {
      auto panel = panels_store::Load(tx, *form.panel_id);
      if (!panel.ok() || panel->programme_id != programme_id) {
        errors.push_back({"panel_id", "Choose a panel of this programme"});
      } else if (!panel->drawn_at) {
        errors.push_back({"panel_id", "That panel has not been drawn yet"});
      }
    }
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert("INSERT INTO forums (programme_id, panel_id, kind, name, purpose, "
                               "binding, community_statements, created_by, created_at) VALUES "
                               "(:g, :p, :k, :n, :pu, :b, :c, :by, :t) RETURNING id",
                               {programme_id, storage::Opt(form.panel_id),
                                std::string(ToString(*kind)), name, purpose,
                                form.binding ? 1 : 0, form.community_statements ? 1 : 0,
                                actor->user_id, now}));
    ASSIGN_OR_RETURN(out, forums_store::Load(tx, id));
    RETURN_IF_ERROR(Sync(tx, out, now));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, programme_id, "forum.create",
                                    "forum:" + std::to_string(id),
                                    {{"name", name},
                                     {"kind", ToString(*kind)},
                                     {"binding", form.binding},
                                     {"panel_id", form.panel_id ? nlohmann::json(*form.panel_id)
                                                                : nlohmann::json()}}));
    ASSIGN_OR_RETURN(out, forums_store::Load(tx, id));
    return Status::Ok();
  }));
  return out;
}

Result<Forum> Forums::Get(int64_t forum_id) {
  Forum out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, forums_store::Load(tx, forum_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Forum>> Forums::ListForProgramme(int64_t programme_id) {
  std::vector<Forum> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM forums WHERE programme_id = :g ORDER BY id",
                                         {programme_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, r.Int(0)));
      out.push_back(std::move(f));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ForumMember>> Forums::Members(int64_t forum_id) {
  std::vector<ForumMember> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT m.id, m.user_id, u.display_name, m.source, m.active, "
                              "(SELECT COUNT(*) FROM forum_attendance a WHERE a.member_id = m.id) "
                              "FROM forum_members m JOIN users u ON u.id = m.user_id "
                              "WHERE m.forum_id = :f ORDER BY u.display_name, m.id",
                              {forum_id}));
    for (const auto& r : rows) {
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Bool(4),
                     static_cast<int>(r.Int(5))});
    }
    return Status::Ok();
  }));
  return out;
}

Result<ForumMember> Forums::AddMember(const Actor* actor, int64_t forum_id, int64_t user_id) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    ASSIGN_OR_RETURN(auto user, tx.QueryOne("SELECT id FROM users WHERE id = :u", {user_id}));
    if (!user) return Error::Field("user_id", "No such person");
    ASSIGN_OR_RETURN(id, forums_store::UpsertMember(tx, forum_id, user_id, "pool", now));
    return internal::Audit(tx, now, actor, f.programme_id, "forum.member.add",
                           "forum:" + std::to_string(forum_id), {{"member_id", id}});
  }));
  ASSIGN_OR_RETURN(auto members, Members(forum_id));
  for (auto& m : members) {
    if (m.id == id) return m;
  }
  return Error::Internal("forum member missing after insert");
}

Status Forums::SyncWithPanel(const Actor* actor, int64_t forum_id) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    RETURN_IF_ERROR(Sync(tx, f, now));
    return internal::Audit(tx, now, actor, f.programme_id, "forum.members.sync",
                           "forum:" + std::to_string(forum_id), nlohmann::json::object());
  });
}

}  // namespace communitise::app
