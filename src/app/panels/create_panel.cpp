// Use cases: create a panel with its quotas, change the quotas, read panels.
#include <cmath>
#include <sstream>

#include "../common/util.h"
#include "../programmes/store.h"
#include "communitise/app/panels.h"
#include "communitise/sortition/csv_io.h"
#include "permissions.h"
#include "selection_runner.h"
#include "store.h"

namespace communitise::app {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO panels (programme_id, name, panel_size, categories, codes_per_household, "
    "created_by, created_at) VALUES (:g, :n, :k, :c, :h, :by, :t) RETURNING id";

std::vector<PanelCategory> FromQuotas(const sortition::Quotas& q) {
  std::vector<PanelCategory> out;
  for (const auto& c : q.categories) {
    PanelCategory pc{c.name, {}};
    for (const auto& v : c.values) pc.values.push_back({v.name, v.min, v.max, std::nullopt});
    out.push_back(std::move(pc));
  }
  return out;
}

void CheckCategories(std::vector<FieldError>& errors, const std::vector<PanelCategory>& cats,
                     int panel_size) {
  if (cats.empty()) errors.push_back({"quotas", "Enter at least one quota category"});
  for (const auto& c : cats) {
    if (c.values.empty()) errors.push_back({"quotas", c.name + " has no values"});
    for (const auto& v : c.values) {
      if (v.min < 0 || v.min > v.max || v.max > panel_size) {
        errors.push_back({"quotas", c.name + " / " + v.name + ": the range " +
                                        std::to_string(v.min) + " to " + std::to_string(v.max) +
                                        " does not fit a panel of " +
                                        std::to_string(panel_size)});
      }
    }
  }
}

}  // namespace

std::string_view ToString(SelectionStatus v) {
  switch (v) {
    case SelectionStatus::kQueued: return "queued";
    case SelectionStatus::kRunning: return "running";
    case SelectionStatus::kDone: return "done";
    case SelectionStatus::kInfeasible: return "infeasible";
    case SelectionStatus::kFailed: return "failed";
  }
  return "failed";
}

Panels::Panels(storage::Database& db, Clock& clock)
    : db_(db), clock_(clock), runner_(std::make_unique<SelectionRunner>(*this, db, clock)) {}

Panels::~Panels() = default;

bool Panels::CanSeeDemographics(const Actor* actor, const Panel& panel) const {
  return panels_permissions::CanSeeDemographics(actor, panel.public_body_id, panel.programme_id);
}

bool Panels::CanOrganise(const Actor* actor, const Panel& panel) const {
  return panels_permissions::CanOrganise(actor, panel.public_body_id, panel.programme_id);
}

Result<std::vector<PanelCategory>> QuotasFromPopulation(std::string_view population_csv,
                                                        int panel_size) {
  std::vector<PanelCategory> out;
  std::istringstream in{std::string(population_csv)};
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string t = internal::Trim(line);
    if (t.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ls(t);
    for (std::string x; std::getline(ls, x, ',');) f.push_back(internal::Trim(x));
    const std::string where = "Line " + std::to_string(n) + ": ";
    if (f.size() != 3) return Error::Field("population", where + "write category,value,percent");
    if (n == 1 && f[2] == "percent") continue;
    char* end = nullptr;
    const double p = std::strtod(f[2].c_str(), &end);
    if (f[0].empty() || f[1].empty() || end == f[2].c_str() || *end != '\0' || !(p >= 0) ||
        p > 100) {
      return Error::Field("population", where + "write category,value,percent (0 to 100)");
    }
    auto cat = std::find_if(out.begin(), out.end(), [&](auto& c) { return c.name == f[0]; });
    if (cat == out.end()) cat = out.insert(out.end(), PanelCategory{f[0], {}});
    const double seats = p * panel_size / 100.0;
    // A tiny tolerance so 25% of 12 (= 3 exactly in decimal) is not bent by rounding.
    cat->values.push_back({f[1], static_cast<int>(std::floor(seats + 1e-9)),
                           static_cast<int>(std::ceil(seats - 1e-9)), p});
  }
  if (out.empty()) return Error::Field("population", "Enter one line per value: category,value,percent");
  return out;
}

Result<Panel> Panels::Create(const Actor* actor, int64_t programme_id,
                             const CreatePanelForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  std::vector<FieldError> errors;
  const std::string name = internal::Trim(form.name);
  internal::CheckLength(errors, "name", "the panel's name", name, 1, 200);
  if (form.panel_size < 2 || form.panel_size > 1000) {
    errors.push_back({"panel_size", "Enter a panel size between 2 and 1,000"});
  }
  if (form.codes_per_household < 1 || form.codes_per_household > 10) {
    errors.push_back({"codes_per_household", "Enter how many people per household, 1 to 10"});
  }
  std::vector<PanelCategory> categories;
  auto quotas = sortition::ReadQuotasCsv(form.quotas_csv, "quotas");
  if (!quotas.ok()) {
    errors.push_back({"quotas", quotas.error().public_message});
  } else {
    categories = FromQuotas(*quotas);
    CheckCategories(errors, categories, form.panel_size);
  }
  Panel out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
    if (!panels_permissions::CanOrganise(actor, p.public_body_id, p.id)) {
      return Error::Forbidden("Only the programme's officers and facilitators run panels");
    }
    RETURN_IF_ERROR(internal::FieldErrors(errors));
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert(kInsert, {programme_id, name, form.panel_size,
                                         panels_store::CategoriesToJson(categories),
                                         form.codes_per_household, actor->user_id, now}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, programme_id, "panel.create",
                                    "panel:" + std::to_string(id),
                                    {{"name", name}, {"panel_size", form.panel_size},
                                     {"quotas", nlohmann::json::parse(
                                                    panels_store::CategoriesToJson(categories))}}));
    ASSIGN_OR_RETURN(out, panels_store::Load(tx, id));
    return Status::Ok();
  }));
  return out;
}

Result<Panel> Panels::SetQuotas(const Actor* actor, int64_t panel_id,
                                const std::vector<PanelCategory>& categories) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Panel out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.drawn_at) return Error::Conflict("The panel has been drawn; its quotas are fixed");
    std::vector<FieldError> errors;
    CheckCategories(errors, categories, p.panel_size);
    if (p.respondent_count > 0) {
      bool same = categories.size() == p.categories.size();
      for (size_t c = 0; same && c < categories.size(); ++c) {
        same = categories[c].name == p.categories[c].name &&
               categories[c].values.size() == p.categories[c].values.size();
        for (size_t v = 0; same && v < categories[c].values.size(); ++v) {
          same = categories[c].values[v].name == p.categories[c].values[v].name;
        }
      }
      if (!same) {
        errors.push_back({"quotas", "People have registered: keep the same categories and "
                                    "values, change only the numbers"});
      }
    }
    RETURN_IF_ERROR(internal::FieldErrors(errors));
    const std::string json = panels_store::CategoriesToJson(categories);
    RETURN_IF_ERROR(tx.Exec("UPDATE panels SET categories = :c WHERE id = :id", {json, panel_id}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, p.programme_id, "panel.quotas",
                                    "panel:" + std::to_string(panel_id),
                                    {{"quotas", nlohmann::json::parse(json)}}));
    ASSIGN_OR_RETURN(out, panels_store::Load(tx, panel_id));
    return Status::Ok();
  }));
  return out;
}

Result<Panel> Panels::Get(int64_t panel_id) {
  Panel out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, panels_store::Load(tx, panel_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Panel>> Panels::ListForProgramme(int64_t programme_id) {
  std::vector<Panel> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM panels WHERE programme_id = :g "
                                         "ORDER BY id",
                                         {programme_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, r.Int(0)));
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
