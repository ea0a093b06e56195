// Use cases: funded projects as awards — milestones, progress, spend and evidence —
// and the public exports: awards in the 360Giving standard, all projects as CSV.
#include <ctime>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {

constexpr std::string_view kAwardColumns =
    "SELECT a.id, a.round_id, a.project_id, j.title, j.org_name, j.org_number, j.summary, "
    "a.amount_pence, a.status, a.awarded_at, a.updated_at, j.proposer_id FROM pb_awards a "
    "JOIN pb_projects j ON j.id = a.project_id ";

Result<PbAward> LoadAward(storage::Tx& tx, const storage::Row& r) {
  PbAward a;
  a.id = r.Int(0);
  a.round_id = r.Int(1);
  a.project_id = r.Int(2);
  a.title = r.Text(3);
  a.org_name = r.Text(4);
  a.org_number = r.Text(5);
  a.summary = r.Text(6);
  a.amount_pence = r.Int(7);
  a.status = r.Text(8);
  a.awarded_at = r.Int(9);
  a.updated_at = r.Int(10);
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, kind, text, evidence, amount_pence, at FROM "
                                       "pb_award_updates WHERE award_id = :a ORDER BY id",
                                       {a.id}));
  for (const auto& u : rows) {
    PbAward::Update up{u.Int(0), u.Text(1), u.Text(2), u.Text(3), u.Int(4), u.Int(5)};
    if (up.kind == "spend") a.spent_pence += up.amount_pence;
    if (up.kind == "progress") a.progress_percent = static_cast<int>(up.amount_pence);
    if (up.kind == "completed") a.progress_percent = 100;
    a.updates.push_back(std::move(up));
  }
  return a;
}

std::string IsoDate(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// 360Giving organisation identifiers from org-id.guide: GB-CHC (Charity Commission
// for England and Wales), GB-SC (Scottish charities), GB-COH (Companies House).
std::string OrgIdentifier(const std::string& number) {
  if (number.rfind("SC", 0) == 0) return "GB-SC-" + number;
  bool digits = !number.empty() && number.size() <= 7;
  for (char c : number) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  return digits ? "GB-CHC-" + number : "GB-COH-" + number;
}

struct Funder {
  std::string id, name;
};

Result<Funder> FunderOf(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT b.slug, b.name FROM pb_rounds r JOIN programmes p "
                                         "ON p.id = r.programme_id JOIN public_bodies b ON "
                                         "b.id = p.public_body_id WHERE r.id = :r",
                                         {round_id}));
  if (!row) return Error::NotFound("No such participatory budgeting round");
  return Funder{"360G-communitise-" + row->Text(0), row->Text(1)};
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Pounds(int64_t pence) {
  std::string p = std::to_string(pence % 100);
  return std::to_string(pence / 100) + "." + (p.size() < 2 ? "0" : "") + p;
}

// One grant as the 360Giving fields, in the order of the CSV template.
std::vector<std::pair<std::string, std::string>> GrantFields(const PbAward& a, const Funder& f) {
  const bool org = !a.org_number.empty();
  return {{"Identifier", f.id + "-pb-award-" + std::to_string(a.id)},
          {"Title", a.title},
          {"Description", a.summary},
          {"Currency", "GBP"},
          {"Amount Awarded", Pounds(a.amount_pence)},
          {"Award Date", IsoDate(a.awarded_at).substr(0, 10)},
          {"Recipient Org:Identifier", org ? OrgIdentifier(a.org_number) : f.id},
          {"Recipient Org:Name", org ? a.org_name : f.name},
          {"Funding Org:Identifier", f.id},
          {"Funding Org:Name", f.name},
          {"Last Modified", IsoDate(a.updated_at)}};
}

}  // namespace

Result<std::vector<PbAward>> PbRounds::Awards(int64_t round_id) {
  std::vector<PbAward> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kAwardColumns) +
                                             "WHERE a.round_id = :r ORDER BY a.id",
                                         {round_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(auto a, LoadAward(tx, r));
      out.push_back(std::move(a));
    }
    return Status::Ok();
  }));
  return out;
}

Result<PbAward> PbRounds::GetAward(int64_t award_id) {
  PbAward out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kAwardColumns) + "WHERE a.id = :id",
                                           {award_id}));
    if (!row) return Error::NotFound("No such award");
    ASSIGN_OR_RETURN(out, LoadAward(tx, *row));
    return Status::Ok();
  }));
  return out;
}

Result<PbAward> PbRounds::UpdateAward(const Actor* actor, int64_t award_id,
                                      const AwardUpdateForm& form) {
  std::vector<FieldError> errors;
  const std::string kind = form.kind;
  if (kind != "milestone" && kind != "progress" && kind != "spend" && kind != "completed") {
    errors.push_back({"kind", "Choose milestone, progress, spend or completed"});
  }
  internal::CheckLength(errors, "text", "what happened", form.text, 1, 2000);
  internal::CheckLength(errors, "evidence", "the evidence", form.evidence, 0, 1000);
  if (kind == "spend" && form.amount_pence <= 0) {
    errors.push_back({"amount_pence", "Enter the amount spent"});
  }
  if (kind == "progress" && (form.progress_percent < 0 || form.progress_percent > 100)) {
    errors.push_back({"progress_percent", "Enter a percentage from 0 to 100"});
  }
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kAwardColumns) + "WHERE a.id = :id",
                                           {award_id}));
    if (!row) return Error::NotFound("No such award");
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, row->Int(1)));
    if (!pb_permissions::CanReportDelivery(actor, round.public_body_id, round.programme_id,
                                           row->Int(11))) {
      return Error::Forbidden("Only officers and the project's proposer report on delivery");
    }
    if (row->Text(8) == "completed") return Error::Conflict("This award is completed");
    const int64_t amount = kind == "spend" ? form.amount_pence
                           : kind == "progress" ? form.progress_percent : 0;
    ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO pb_award_updates (award_id, kind, text, "
                                           "amount_pence, evidence, at, by_user) VALUES (:a, :k, "
                                           ":t, :m, :e, :n, :u) RETURNING id",
                                           {award_id, kind, internal::Trim(form.text), amount,
                                            internal::Trim(form.evidence), now, actor->user_id}));
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_awards SET updated_at = :n, status = :s WHERE id = :id",
                            {now, kind == "completed" ? "completed" : "in_progress", award_id})
                        .status());
    return internal::Audit(tx, now, actor, round.programme_id, "pb.award." + kind,
                           "pb_award:" + std::to_string(award_id),
                           {{"update", id}, {"amount", amount}});
  }));
  return GetAward(award_id);
}

Result<std::string> PbRounds::Export360GivingJson(int64_t round_id) {
  ASSIGN_OR_RETURN(auto awards, Awards(round_id));
  Funder f;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(f, FunderOf(tx, round_id));
    return Status::Ok();
  }));
  nlohmann::json grants = nlohmann::json::array();
  for (const auto& a : awards) {
    const bool org = !a.org_number.empty();
    nlohmann::json recipient = {{"id", org ? OrgIdentifier(a.org_number) : f.id},
                                {"name", org ? a.org_name : f.name}};
    if (org && OrgIdentifier(a.org_number).rfind("GB-COH-", 0) == 0) {
      recipient["companyNumber"] = a.org_number;
    } else if (org) {
      recipient["charityNumber"] = a.org_number;
    }
    grants.push_back({{"id", f.id + "-pb-award-" + std::to_string(a.id)},
                      {"title", a.title},
                      {"description", a.summary},
                      {"currency", "GBP"},
                      {"amountAwarded", static_cast<double>(a.amount_pence) / 100.0},
                      {"awardDate", IsoDate(a.awarded_at).substr(0, 10)},
                      {"recipientOrganization", nlohmann::json::array({recipient})},
                      {"fundingOrganization",
                       nlohmann::json::array({{{"id", f.id}, {"name", f.name}}})},
                      {"lastModified", IsoDate(a.updated_at)},
                      {"grantProgramme", nlohmann::json::array(
                                             {{{"code", "pb-round-" + std::to_string(round_id)},
                                               {"title", "Participatory budgeting"}}})}});
  }
  return nlohmann::json{{"grants", grants}}.dump(1);
}

Result<std::string> PbRounds::Export360GivingCsv(int64_t round_id) {
  ASSIGN_OR_RETURN(auto awards, Awards(round_id));
  Funder f;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(f, FunderOf(tx, round_id));
    return Status::Ok();
  }));
  std::string out;
  auto header = GrantFields(PbAward{}, f);
  for (size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + CsvCell(header[i].first);
  out += "\r\n";
  for (const auto& a : awards) {
    auto fields = GrantFields(a, f);
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvCell(fields[i].second);
    out += "\r\n";
  }
  return out;
}

Result<std::string> PbRounds::ExportProjectsCsv(int64_t round_id) {
  ASSIGN_OR_RETURN(auto projects, ListProjects(nullptr, round_id));
  std::string out =
      "id,kind,title,organisation,organisation_number,area,theme,requested_gbp,cost_gbp,"
      "cost_reason,status,check_note,screening_reason,votes,funded,story\r\n";
  for (const auto& p : projects) {
    std::vector<std::string> cells = {std::to_string(p.id), p.kind, p.title, p.org_name,
                                      p.org_number, p.area, p.theme, Pounds(p.requested_pence),
                                      Pounds(p.cost_pence), p.cost_reason,
                                      std::string(ToString(p.status)), p.check_note,
                                      p.screening_reason,
                                      p.votes ? std::to_string(*p.votes) : "",
                                      p.funded ? (*p.funded ? "yes" : "no") : "", p.story};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace communitise::app
