// Use cases: register with an invitation code, read registrations (demographic data
// only for the roles that run selection), export them as CSV.
#include "../common/util.h"
#include "communitise/app/panels.h"
#include "communitise/sortition/csv_io.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {
namespace {

std::string CanonicalCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

constexpr std::string_view kByCode =
    "SELECT id, panel_id, uses FROM panel_invitations WHERE code = :c";

}  // namespace

Result<Panel> Panels::PanelForCode(std::string_view code) {
  const std::string c = CanonicalCode(code);
  Panel out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto inv, tx.QueryOne(kByCode, {c}));
    if (c.empty() || !inv) {
      return Error::Field("code", "Enter the code exactly as it is printed on your letter");
    }
    ASSIGN_OR_RETURN(out, panels_store::Load(tx, inv->Int(1)));
    return Status::Ok();
  }));
  return out;
}

Result<Respondent> Panels::Register(const Actor* actor, const RegisterForm& form) {
  if (!actor) return Error::Unauthenticated("Sign in or create an account to register");
  if (!panels_permissions::CanRegister(actor)) return Error::Forbidden();
  const int64_t now = clock_.NowSeconds();
  const std::string code = CanonicalCode(form.code);
  Respondent out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto inv, tx.QueryOne(kByCode, {code}));
    if (code.empty() || !inv) {
      return Error::Field("code", "Enter the code exactly as it is printed on your letter");
    }
    const int64_t invitation_id = inv->Int(0);
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, inv->Int(1)));
    if (p.drawn_at) return Error::Conflict("This panel has already been chosen");
    ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT id FROM panel_respondents WHERE "
                                                "panel_id = :p AND user_id = :u",
                                                {p.id, actor->user_id}));
    if (existing) return Error::Conflict("You have already registered for this panel");
    std::vector<FieldError> errors;
    if (inv->Int(2) >= p.codes_per_household) {
      errors.push_back({"code", p.codes_per_household == 1
                                    ? "Someone in your household has already used this code"
                                    : "This code has been used by as many people as allowed"});
    }
    nlohmann::json features = nlohmann::json::object();
    for (const auto& c : p.categories) {
      auto it = form.features.find(c.name);
      const bool known = it != form.features.end() &&
                         std::any_of(c.values.begin(), c.values.end(),
                                     [&](const PanelValue& v) { return v.name == it->second; });
      if (!known) {
        errors.push_back({c.name, "Choose your answer for " + c.name});
      } else {
        features[c.name] = it->second;
      }
    }
    const std::string availability = internal::Trim(form.availability);
    internal::CheckLength(errors, "availability", "your availability", availability, 0, 500);
    if (!form.consent) {
      errors.push_back({"consent", "Confirm that you agree to how your answers are used"});
    }
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert("INSERT INTO panel_respondents (panel_id, invitation_id, user_id, "
                               "features, availability, created_at) VALUES (:p, :i, :u, :f, :a, "
                               ":t) RETURNING id",
                               {p.id, invitation_id, actor->user_id, features.dump(),
                                availability, now}));
    RETURN_IF_ERROR(tx.Exec("UPDATE panel_invitations SET uses = uses + 1 WHERE id = :i",
                            {invitation_id}));
    // The public record says that someone registered, never who or their answers.
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, p.programme_id, "panel.register",
                                    "panel:" + std::to_string(p.id), nlohmann::json::object()));
    ASSIGN_OR_RETURN(auto one, panels_store::LoadRespondents(tx, p.id, id));
    out = std::move(one.at(0));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Respondent>> Panels::MyRegistration(const Actor* actor, int64_t panel_id) {
  if (!actor) return Error::Unauthenticated();
  std::optional<Respondent> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, panels_store::LoadRespondents(tx, panel_id));
    for (auto& r : all) {
      if (r.user_id == actor->user_id) out = std::move(r);
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Respondent>> Panels::ListRespondents(const Actor* actor, int64_t panel_id) {
  if (!actor) return Error::Unauthenticated();
  std::vector<Respondent> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanSeeDemographics(actor, p)) {
      return Error::Forbidden("Only the people who run the selection see registrations");
    }
    ASSIGN_OR_RETURN(out, panels_store::LoadRespondents(tx, panel_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::string> Panels::ExportRespondentsCsv(const Actor* actor, int64_t panel_id) {
  ASSIGN_OR_RETURN(Panel p, Get(panel_id));
  ASSIGN_OR_RETURN(auto respondents, ListRespondents(actor, panel_id));
  using sortition::CsvField;
  std::string out = "id,name,area";
  for (const auto& c : p.categories) out += "," + CsvField(c.name);
  out += ",availability,status\r\n";
  for (const auto& r : respondents) {
    out += "r" + std::to_string(r.id) + "," + CsvField(r.display_name) + "," +
           CsvField(r.area_name);
    for (const auto& c : p.categories) {
      auto it = r.features.find(c.name);
      out += "," + CsvField(it == r.features.end() ? "" : it->second);
    }
    out += "," + CsvField(r.availability) + "," + CsvField(r.member_status) + "\r\n";
  }
  return out;
}

}  // namespace communitise::app
