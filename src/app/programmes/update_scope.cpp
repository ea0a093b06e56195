// Use case: widen (or otherwise change) a programme's scope, keeping its history.
#include "../common/util.h"
#include "../constitutions/store.h"
#include "communitise/app/programmes.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

Result<Programme> Programmes::UpdateScope(const Actor* actor, int64_t programme_id,
                                          const UpdateScopeForm& form) {
  std::vector<FieldError> errors;
  std::optional<ServiceNature> nature;
  if (!form.nature.empty()) {
    nature = ParseServiceNature(form.nature);
    if (!nature) errors.push_back({"nature", "Select the nature of the service"});
  }
  std::vector<Method> methods;
  if (!form.methods.empty()) methods = programmes_store::ParseMethods(form.methods, errors);
  const auto services = programmes_store::CleanList(form.services);
  const auto areas = programmes_store::CleanList(form.areas);
  internal::CheckLength(errors, "change_note", "why the scope is changing", form.change_note, 1,
                        1000);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));

  const int64_t now = clock_.NowSeconds();
  Programme out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme current, programmes_store::Load(tx, programme_id));
    if (!programmes_permissions::CanManageProgramme(actor, current.public_body_id, programme_id)) {
      return Error::Forbidden();
    }
    ProgrammeScope next = current.scope;
    next.at = now;
    next.change_note = internal::Trim(form.change_note);
    if (nature) next.nature = *nature;
    if (!methods.empty()) next.methods = methods;
    if (!services.empty()) next.services = services;
    if (!areas.empty()) {
      if (next.network != NetworkKind::kGeographic) {
        return Error::Field("areas", "Only geographic programmes have areas");
      }
      next.area_codes = areas;
    }
    programmes_store::Derive(next);
    // The rules in force must still fit the new methods (e.g. a board before formal
    // governance); the constitution is amended first when they do not.
    ASSIGN_OR_RETURN(auto in_force, constitutions_store::InForceAt(tx, programme_id, now));
    if (in_force) {
      Status fits = ValidateRules(in_force->rules, next.network, next.methods);
      if (!fits.ok()) {
        return Error::Field("methods", "The constitution's rules do not allow these methods yet (" +
                                           fits.error().public_message +
                                           "); amend the constitution first");
      }
    }
    ASSIGN_OR_RETURN(auto area_ids, programmes_store::ResolveAreas(tx, current.public_body_id,
                                                                   next.area_codes));
    ASSIGN_OR_RETURN(auto service_ids, programmes_store::ResolveServices(
                                           tx, current.public_body_id, next.services, next.nature));
    RETURN_IF_ERROR(programmes_store::ReplaceLinks(tx, programme_id, area_ids, service_ids));
    RETURN_IF_ERROR(programmes_store::InsertScope(tx, programme_id, next));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, programme_id, "programme.scope_change",
                                    "programme:" + std::to_string(programme_id),
                                    {{"from", programmes_store::ScopeJson(current.scope)},
                                     {"to", programmes_store::ScopeJson(next)},
                                     {"change_note", next.change_note}}));
    ASSIGN_OR_RETURN(out, programmes_store::Load(tx, programme_id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
