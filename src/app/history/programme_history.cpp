// Use case: the public history of a programme, from its audit entries.
#include <map>
#include <nlohmann/json.hpp>

#include "communitise/app/history.h"
#include "communitise/storage/audit.h"

namespace communitise::app {

namespace {
std::string Describe(const storage::AuditRecord& r) {
  const auto d = nlohmann::json::parse(r.details_json, nullptr, false);
  auto str = [&](const char* key) {
    return d.is_object() && d.contains(key) && d[key].is_string() ? d[key].get<std::string>()
                                                                  : std::string();
  };
  auto num = [&](const char* key) {
    return d.is_object() && d.contains(key) && d[key].is_number_integer()
               ? std::to_string(d[key].get<int64_t>())
               : std::string();
  };
  if (r.action == "programme.create") return "The programme was created";
  if (r.action == "programme.scope_change") {
    return "The programme's scope changed: " + str("change_note");
  }
  if (r.action == "constitution.publish") {
    return "Version " + num("version") + " of the constitution was published";
  }
  if (r.action == "constitution.amend") {
    return "The constitution was amended (version " + num("version") + "): " + str("change_note");
  }
  if (r.action == "membership.join") return "A new member joined";
  if (r.action == "membership.apply") return "Someone applied to join";
  if (r.action == "membership.approve") return "An application to join was approved";
  if (r.action == "membership.reject") return "An application to join was turned down";
  if (r.action == "membership.leave") return "A member left";
  if (r.action == "role.grant") return "A " + str("role") + " role was given for this programme";
  return r.action;
}

// Membership entries say nothing about who joined or left: belonging to a need or
// interest programme can itself be sensitive.
bool HidesActor(const std::string& action) { return action.rfind("membership.", 0) == 0 &&
                                                   action != "membership.approve" &&
                                                   action != "membership.reject"; }
}  // namespace

Result<std::vector<HistoryEntry>> History::ForProgramme(int64_t programme_id, int limit,
                                                        std::optional<int64_t> before_seq) {
  if (limit < 1 || limit > 500) return Error::Field("limit", "Limit must be between 1 and 500");
  std::vector<HistoryEntry> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(auto exists, tx.QueryOne("SELECT id FROM programmes WHERE id = :p",
                                              {programme_id}));
    if (!exists) return Error::NotFound("No such programme");
    storage::AuditQuery q;
    q.programme_id = programme_id;
    q.before_seq = before_seq;
    q.limit = limit;
    ASSIGN_OR_RETURN(auto records, storage::ListAudit(tx, q));
    std::map<std::string, std::string> names;
    for (const auto& r : records) {
      HistoryEntry e;
      e.seq = r.seq;
      e.at = r.at;
      e.action = r.action;
      e.description = Describe(r);
      e.subject = r.subject;
      e.details_json = r.details_json;
      e.hash = r.hash;
      if (HidesActor(r.action)) {
        e.actor_name = "A member of the public";
      } else {
        e.actor = r.actor;
        if (r.actor == "system") {
          e.actor_name = "System";
        } else if (r.actor.rfind("user:", 0) == 0) {
          auto it = names.find(r.actor);
          if (it == names.end()) {
            ASSIGN_OR_RETURN(auto u, tx.QueryOne("SELECT display_name FROM users WHERE id = :u",
                                                 {std::stoll(r.actor.substr(5))}));
            it = names.emplace(r.actor, u ? u->Text(0) : "A former user").first;
          }
          e.actor_name = it->second;
        } else {
          e.actor_name = r.actor;
        }
      }
      out.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
