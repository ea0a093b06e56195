#include "store.h"

namespace communitise::app::constitutions_store {

namespace {
constexpr std::string_view kInsert =
    "INSERT INTO constitutions (programme_id, version, text, rules, change_note, effective_from, "
    "created_at, created_by) VALUES (:p, :v, :t, :r, :n, :e, :c, :b) RETURNING id";
constexpr std::string_view kInForce =
    "SELECT id, programme_id, version, text, rules, change_note, effective_from, created_at, "
    "created_by FROM constitutions WHERE programme_id = :p AND effective_from <= :at "
    "ORDER BY version DESC LIMIT 1";
constexpr std::string_view kLatest =
    "SELECT MAX(version) FROM constitutions WHERE programme_id = :p";
}  // namespace

Result<int64_t> Insert(storage::Tx& tx, const Constitution& c) {
  return tx.Insert(kInsert, {c.programme_id, int64_t{c.version}, c.text, RulesToJson(c.rules),
                             c.change_note, c.effective_from, c.created_at, c.created_by});
}

Result<Constitution> FromRow(const storage::Row& r) {
  Constitution c;
  c.id = r.Int(0);
  c.programme_id = r.Int(1);
  c.version = static_cast<int>(r.Int(2));
  c.text = r.Text(3);
  auto rules = RulesFromJson(r.Text(4));
  if (!rules.ok()) return Error::Internal("stored constitution rules do not parse: " + r.Text(4));
  c.rules = *rules;
  c.change_note = r.Text(5);
  c.effective_from = r.Int(6);
  c.created_at = r.Int(7);
  c.created_by = r.Int(8);
  return c;
}

Result<std::optional<Constitution>> InForceAt(storage::Tx& tx, int64_t programme_id, int64_t at) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kInForce, {programme_id, at}));
  if (!row) return std::optional<Constitution>();
  ASSIGN_OR_RETURN(Constitution c, FromRow(*row));
  return std::optional<Constitution>(std::move(c));
}

Result<int> LatestVersion(storage::Tx& tx, int64_t programme_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kLatest, {programme_id}));
  return row && !row->IsNull(0) ? static_cast<int>(row->Int(0)) : 0;
}

std::string DefaultText(const std::string& name, const ConstitutionRules& r) {
  std::string who;
  switch (r.eligibility_mode) {
    case EligibilityMode::kPostcodeInAreas:
      who = "Anyone who lives in the programme's areas may join, by giving their postcode.";
      break;
    case EligibilityMode::kOfficerApproval:
      who = "People with the need or interest the programme serves may apply; an officer "
            "checks each application.";
      break;
    case EligibilityMode::kSelfDeclaration:
      who = "People with the need or interest the programme serves may join by saying so.";
      break;
  }
  std::string text = "This is the community constitution of " + name +
                     ". It sets out how the public body shares power with the community.\n\n" +
                     who;
  if (r.minimum_age > 0) {
    text += " Members must be at least " + std::to_string(r.minimum_age) + " years old.";
  }
  text += "\n\nA decision binds the body when at least " +
          std::to_string(r.binding_threshold_percent) +
          "% of participants support it, with a quorum of " + std::to_string(r.quorum_percent) +
          "% of members taking part. The body answers every recommendation in public within " +
          std::to_string(r.response_days) + " days.";
  if (r.board.Total() > 0) {
    text += "\n\nThe community board has " + std::to_string(r.board.residents) + " residents, " +
            std::to_string(r.board.councillors) + " councillors and " +
            std::to_string(r.board.partners) + " partner organisations.";
  }
  text += "\n\nAny change to these rules is published, recorded in the public history, and "
          "never applies to a decision already under way.";
  return text;
}

}  // namespace communitise::app::constitutions_store
