// Use case: an officer creates a programme by answering the report's four questions.
#include "../common/util.h"
#include "../constitutions/store.h"
#include "communitise/app/programmes.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kBodyExists = "SELECT id FROM public_bodies WHERE id = :b";
constexpr std::string_view kSlugTaken = "SELECT id FROM programmes WHERE slug = :s";
constexpr std::string_view kInsert =
    "INSERT INTO programmes (public_body_id, slug, name, summary, eligibility_criteria, "
    "annual_budget_pence, created_by, created_at) VALUES (:b, :s, :n, :m, :e, :a, :u, :t) "
    "RETURNING id";
}  // namespace

Result<Programme> Programmes::Create(const Actor* actor, const CreateProgrammeForm& form) {
  // 1. Validate the answers.
  std::vector<FieldError> errors;
  if (form.public_body_id <= 0) errors.push_back({"public_body_id", "Select a public body"});
  internal::CheckLength(errors, "name", "the name of the programme", form.name, 1, 200);
  internal::CheckLength(errors, "summary", "a summary", form.summary, 0, 5000);
  const std::string name = internal::Trim(form.name);
  const std::string slug = form.slug.empty() ? internal::Slugify(name) : internal::Trim(form.slug);
  if (!name.empty() && !internal::ValidSlug(slug)) {
    errors.push_back({"slug", "Web address name must be 2 to 60 lower-case letters, digits or hyphens"});
  }
  ProgrammeScope scope;
  const auto nature = ParseServiceNature(form.nature);
  if (!nature) errors.push_back({"nature", "Select the nature of the service"});
  const std::vector<std::string> services = programmes_store::CleanList(form.services);
  if (services.empty()) {
    errors.push_back({"services", "Enter at least one service the programme commissions"});
  }
  for (const auto& s : services) {
    if (internal::CharCount(s) > 200 || !internal::ValidUtf8(s)) {
      errors.push_back({"services", "Each service name must be ordinary text of 200 characters or fewer"});
      break;
    }
  }
  const auto network = ParseNetworkKind(form.network);
  if (!network) errors.push_back({"network", "Select the kind of commissioning network"});
  const std::vector<std::string> areas = programmes_store::CleanList(form.areas);
  const std::string criteria = internal::Trim(form.eligibility_criteria);
  if (network == NetworkKind::kGeographic && areas.empty()) {
    errors.push_back({"areas", "Select at least one area"});
  }
  if (network == NetworkKind::kNeedInterest) {
    internal::CheckLength(errors, "eligibility_criteria", "who the programme is for", criteria, 1,
                          2000);
  }
  scope.methods = programmes_store::ParseMethods(form.methods, errors);
  if (scope.methods.empty() && form.methods.empty()) {
    errors.push_back({"methods", "Select at least one method of power transfer"});
  }
  if (form.annual_budget_pence && *form.annual_budget_pence < 0) {
    errors.push_back({"annual_budget_pence", "The yearly budget cannot be negative"});
  }
  internal::CheckLength(errors, "constitution_text", "the constitution", form.constitution_text, 0,
                        50000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  scope.nature = *nature;
  scope.network = *network;
  scope.area_codes = network == NetworkKind::kGeographic ? areas : std::vector<std::string>{};
  scope.services = services;
  scope.change_note = "Programme created";
  programmes_store::Derive(scope);
  const ConstitutionRules rules = form.rules ? *form.rules : DefaultRules(*network, scope.methods);
  RETURN_IF_ERROR(ValidateRules(rules, *network, scope.methods));

  // 2. Permission.
  if (!programmes_permissions::CanCreateProgramme(actor, form.public_body_id)) {
    return Error::Forbidden();
  }

  // 3. One transaction: programme, links, scope, constitution v1, audit.
  const int64_t now = clock_.NowSeconds();
  scope.at = now;
  int64_t id = 0;
  Programme out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto body, tx.QueryOne(kBodyExists, {form.public_body_id}));
    if (!body) return Error::NotFound("No such public body");
    ASSIGN_OR_RETURN(auto taken, tx.QueryOne(kSlugTaken, {slug}));
    if (taken) {
      Error e = Error::Field(form.slug.empty() ? "name" : "slug",
                             "A programme with this web address name already exists");
      e.code = ErrorCode::kConflict;
      return e;
    }
    ASSIGN_OR_RETURN(auto service_ids, programmes_store::ResolveServices(
                                           tx, form.public_body_id, services, scope.nature));
    ASSIGN_OR_RETURN(auto area_ids, programmes_store::ResolveAreas(tx, form.public_body_id,
                                                                   scope.area_codes));
    ASSIGN_OR_RETURN(id, tx.Insert(kInsert, {form.public_body_id, slug, name,
                                             internal::Trim(form.summary),
                                             network == NetworkKind::kNeedInterest ? criteria : "",
                                             storage::Opt(form.annual_budget_pence),
                                             actor->user_id, now}));
    RETURN_IF_ERROR(programmes_store::ReplaceLinks(tx, id, area_ids, service_ids));
    RETURN_IF_ERROR(programmes_store::InsertScope(tx, id, scope));
    Constitution c;
    c.programme_id = id;
    c.version = 1;
    c.text = internal::Trim(form.constitution_text).empty()
                 ? constitutions_store::DefaultText(name, rules)
                 : internal::Trim(form.constitution_text);
    c.rules = rules;
    c.change_note = "First version, published with the programme";
    c.effective_from = now;
    c.created_at = now;
    c.created_by = actor->user_id;
    RETURN_IF_ERROR(constitutions_store::Insert(tx, c));
    nlohmann::json details = programmes_store::ScopeJson(scope);
    details["name"] = name;
    details["slug"] = slug;
    if (form.annual_budget_pence) details["annual_budget_pence"] = *form.annual_budget_pence;
    const std::string subject = "programme:" + std::to_string(id);
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, id, "programme.create", subject, details));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, id, "constitution.publish", subject,
                                    {{"version", 1},
                                     {"rules", nlohmann::json::parse(RulesToJson(rules))}}));
    ASSIGN_OR_RETURN(out, programmes_store::Load(tx, id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
