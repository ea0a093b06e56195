// Use cases: draw the panel from a finished selection, replace a drop-out, and the
// public views of the panel (members, make-up).
#include <set>

#include "../common/util.h"
#include "communitise/app/panels.h"
#include "communitise/sortition/legacy.h"
#include "communitise/sortition/leximin.h"
#include "communitise/sortition/lottery.h"
#include "communitise/sortition/random.h"
#include "store.h"

namespace communitise::app {
namespace {

using nlohmann::json;

constexpr std::string_view kInsertMember =
    "INSERT INTO panel_members (panel_id, respondent_id, status, replaces, note, at) "
    "VALUES (:p, :r, :s, :by, :n, :t) RETURNING id";

struct SelectionRow {
  std::string status, algorithm;
  std::vector<int64_t> respondent_ids;
  json result;
};

Result<SelectionRow> LoadSelectionRow(storage::Tx& tx, int64_t panel_id, int64_t selection_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT status, algorithm, respondent_ids, result FROM "
                                         "panel_selections WHERE id = :id AND panel_id = :p",
                                         {selection_id, panel_id}));
  if (!row) return Error::NotFound("No such selection for this panel");
  SelectionRow s{row->Text(0), row->Text(1), {}, json::parse(row->Text(3), nullptr, false)};
  for (const auto& v : json::parse(row->Text(2), nullptr, false)) s.respondent_ids.push_back(v.get<int64_t>());
  return s;
}

}  // namespace

Result<std::vector<PanelMember>> Panels::DrawPanel(const Actor* actor, int64_t panel_id,
                                                   int64_t selection_id, std::string_view seed) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.drawn_at) return Error::Conflict("The panel has already been drawn");
    ASSIGN_OR_RETURN(SelectionRow s, LoadSelectionRow(tx, panel_id, selection_id));
    if (s.status != "done") return Error::Conflict("The selection has not finished");
    auto value = panels_store::ParseSeed(seed);
    if (!value) return Error::Field("seed", "Enter the seed as a whole number, like 20261125");
    ASSIGN_OR_RETURN(sortition::Problem problem, panels_store::ProblemFor(tx, p, s.respondent_ids));
    std::vector<int> chosen;
    if (s.algorithm == "legacy") {
      sortition::Rng rng(*value);
      ASSIGN_OR_RETURN(chosen, sortition::LegacySelect(problem, rng, 2000));
    } else {
      sortition::Distribution d;
      d.types = sortition::GroupTypes(problem);
      const json& dist = s.result["distribution"];
      d.panels = dist["panels"].get<std::vector<sortition::Composition>>();
      d.weights = dist["weights"].get<std::vector<double>>();
      ASSIGN_OR_RETURN(sortition::Draw draw, sortition::DrawPanel(problem, d, *value));
      chosen = draw.panel;
    }
    json ids = json::array();
    for (int i : chosen) {
      RETURN_IF_ERROR(tx.Insert(kInsertMember, {panel_id, s.respondent_ids[i], "selected",
                                                storage::Null(), "", now}));
      ids.push_back("r" + std::to_string(s.respondent_ids[i]));
    }
    const std::string seed_text = std::to_string(*value);
    RETURN_IF_ERROR(tx.Exec("UPDATE panels SET draw_seed = :s, drawn_at = :t, "
                            "drawn_selection_id = :sel WHERE id = :id",
                            {seed_text, now, selection_id, panel_id}));
    return internal::Audit(tx, now, actor, p.programme_id, "panel.draw",
                           "panel:" + std::to_string(panel_id),
                           {{"selection_id", selection_id}, {"seed", seed_text},
                            {"algorithm", s.algorithm}, {"panel", ids}});
  }));
  return Members(panel_id);
}

Result<PanelMember> Panels::ReplaceMember(const Actor* actor, int64_t panel_id,
                                          int64_t member_id, std::string_view reason) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  const std::string why = internal::Trim(reason);
  int64_t new_id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    std::vector<FieldError> errors;
    internal::CheckLength(errors, "reason", "why they left", why, 1, 500);
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    if (!p.drawn_at) return Error::Conflict("The panel has not been drawn yet");
    ASSIGN_OR_RETURN(auto sel, tx.QueryOne("SELECT drawn_selection_id FROM panels WHERE id = :id",
                                           {panel_id}));
    ASSIGN_OR_RETURN(SelectionRow s, LoadSelectionRow(tx, panel_id, sel->Int(0)));
    ASSIGN_OR_RETURN(auto members, panels_store::CurrentMembers(tx, panel_id));
    // People who dropped out earlier are not candidates again: leave them out of the pool.
    std::set<int64_t> gone;
    for (const auto& m : members) {
      if (m.status == "dropped_out") gone.insert(m.respondent_id);
    }
    std::vector<int64_t> pool_ids;
    for (int64_t id : s.respondent_ids) {
      if (!gone.count(id)) pool_ids.push_back(id);
    }
    s.respondent_ids = pool_ids;
    ASSIGN_OR_RETURN(sortition::Problem problem, panels_store::ProblemFor(tx, p, s.respondent_ids));
    std::map<int64_t, int> index;
    for (size_t i = 0; i < s.respondent_ids.size(); ++i) index[s.respondent_ids[i]] = static_cast<int>(i);
    std::vector<int> panel;
    int dropout = -1;
    int64_t dropout_respondent = 0;
    int dropped_before = 0;
    for (const auto& m : members) {
      if (m.status == "dropped_out") {
        ++dropped_before;
        continue;
      }
      panel.push_back(index.at(m.respondent_id));
      if (m.id == member_id) {
        dropout = index.at(m.respondent_id);
        dropout_respondent = m.respondent_id;
      }
    }
    if (dropout < 0) return Error::NotFound("No such member on the panel");
    // Seed of the n-th replacement: the published draw seed plus n − 1, so every
    // replacement is as reproducible as the draw.
    const uint64_t seed = *panels_store::ParseSeed(*p.draw_seed) + static_cast<uint64_t>(dropped_before);
    std::sort(panel.begin(), panel.end());
    auto replacement = sortition::Replace(problem, panel, dropout, seed);
    if (!replacement.ok()) {
      if (replacement.error().code == ErrorCode::kConflict) {
        return Error::Conflict("No one who registered can replace this member within the "
                               "quotas");
      }
      return replacement.error();
    }
    const int64_t chosen = s.respondent_ids[replacement->person];
    RETURN_IF_ERROR(tx.Exec("UPDATE panel_members SET status = 'dropped_out', note = :n, at = :t "
                            "WHERE id = :id",
                            {why, now, member_id}));
    // The engine names people by their pool ids ("r12"), which are pseudonymous.
    ASSIGN_OR_RETURN(new_id, tx.Insert(kInsertMember, {panel_id, chosen, "replacement",
                                                       member_id, replacement->explanation,
                                                       now}));
    return internal::Audit(tx, now, actor, p.programme_id, "panel.replace",
                           "panel:" + std::to_string(panel_id),
                           {{"dropout", "r" + std::to_string(dropout_respondent)},
                            {"replacement", "r" + std::to_string(chosen)},
                            {"seed", std::to_string(seed)},
                            {"candidates", replacement->candidates},
                            {"differing_categories", replacement->differing_categories}});
  }));
  ASSIGN_OR_RETURN(auto members, Members(panel_id));
  for (auto& m : members) {
    if (m.id == new_id) return m;
  }
  return Error::Internal("replacement member not found after insert");
}

Result<std::vector<PanelMember>> Panels::Members(int64_t panel_id) {
  std::vector<PanelMember> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, panels_store::CurrentMembers(tx, panel_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<MakeUpRow>> Panels::MakeUp(int64_t panel_id) {
  std::vector<MakeUpRow> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    ASSIGN_OR_RETURN(auto respondents, panels_store::LoadRespondents(tx, panel_id));
    for (const auto& c : p.categories) {
      for (const auto& v : c.values) {
        MakeUpRow row{c.name, v.name, v.min, v.max, 0, v.population_percent};
        for (const auto& r : respondents) {
          if (r.member_status != "selected" && r.member_status != "replacement") continue;
          auto it = r.features.find(c.name);
          if (it != r.features.end() && it->second == v.name) ++row.panel;
        }
        out.push_back(std::move(row));
      }
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
