// Use case: amend a programme's constitution — a new, public, audited version.
#include "../common/util.h"
#include "../programmes/store.h"
#include "communitise/app/constitutions.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
// Names of the rules that differ, for the public record of what changed.
std::vector<std::string> ChangedRules(const ConstitutionRules& a, const ConstitutionRules& b) {
  const auto ja = nlohmann::json::parse(RulesToJson(a));
  const auto jb = nlohmann::json::parse(RulesToJson(b));
  std::vector<std::string> out;
  for (auto it = ja.begin(); it != ja.end(); ++it) {
    if (jb.value(it.key(), nlohmann::json()) != it.value()) out.push_back(it.key());
  }
  return out;
}
}  // namespace

Result<Constitution> Constitutions::Amend(const Actor* actor, int64_t programme_id,
                                          const AmendConstitutionForm& form) {
  const int64_t now = clock_.NowSeconds();
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "text", "the text of the constitution", form.text, 1, 50000);
  internal::CheckLength(errors, "change_note", "what is changing and why", form.change_note, 1,
                        1000);
  if (form.effective_from && *form.effective_from < now) {
    errors.push_back({"effective_from", "The date it takes effect must be today or later"});
  }
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));

  Constitution out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
    if (!constitutions_permissions::CanAmendConstitution(actor, p.public_body_id, programme_id)) {
      return Error::Forbidden();
    }
    RETURN_IF_ERROR(ValidateRules(form.rules, p.scope.network, p.scope.methods));
    ASSIGN_OR_RETURN(int latest, constitutions_store::LatestVersion(tx, programme_id));
    ASSIGN_OR_RETURN(auto before, constitutions_store::InForceAt(tx, programme_id, now));
    out = Constitution{};
    out.programme_id = programme_id;
    out.version = latest + 1;
    out.text = internal::Trim(form.text);
    out.rules = form.rules;
    out.change_note = internal::Trim(form.change_note);
    out.effective_from = form.effective_from.value_or(now);
    out.created_at = now;
    out.created_by = actor->user_id;
    ASSIGN_OR_RETURN(out.id, constitutions_store::Insert(tx, out));
    nlohmann::json details = {{"version", out.version},
                              {"change_note", out.change_note},
                              {"effective_from", out.effective_from},
                              {"rules", nlohmann::json::parse(RulesToJson(out.rules))}};
    if (before) {
      details["changed_rules"] = ChangedRules(before->rules, out.rules);
      details["text_changed"] = before->text != out.text;
    }
    return internal::Audit(tx, now, actor, programme_id, "constitution.amend",
                           "programme:" + std::to_string(programme_id), details);
  }));
  return out;
}

}  // namespace communitise::app
