#include "store.h"

#include <algorithm>
#include <set>

#include "../common/util.h"

namespace communitise::app::programmes_store {

namespace {
constexpr std::string_view kProgramme =
    "SELECT p.id, p.public_body_id, b.name, p.slug, p.name, p.summary, p.eligibility_criteria, "
    "p.annual_budget_pence, p.created_at, "
    "(SELECT COUNT(*) FROM memberships m WHERE m.programme_id = p.id AND m.status = 'active') "
    "FROM programmes p JOIN public_bodies b ON b.id = p.public_body_id WHERE p.id = :id";
constexpr std::string_view kScopes =
    "SELECT at, nature, network, methods, area_codes, services, change_note "
    "FROM programme_scopes WHERE programme_id = :p ORDER BY id";
constexpr std::string_view kCurrentScope =
    "SELECT at, nature, network, methods, area_codes, services, change_note "
    "FROM programme_scopes WHERE programme_id = :p ORDER BY id DESC LIMIT 1";
constexpr std::string_view kAreas =
    "SELECT a.id, a.public_body_id, a.code, a.name, "
    "(SELECT COUNT(*) FROM postcodes q WHERE q.area_id = a.id) "
    "FROM programme_areas pa JOIN areas a ON a.id = pa.area_id WHERE pa.programme_id = :p "
    "ORDER BY a.name, a.code";
constexpr std::string_view kInsertScope =
    "INSERT INTO programme_scopes (programme_id, at, nature, network, methods, depth, quadrants, "
    "area_codes, services, change_note) VALUES (:p, :at, :n, :w, :m, :d, :q, :a, :s, :c)";

Result<ProgrammeScope> ScopeFromRow(const storage::Row& r) {
  ProgrammeScope s;
  s.at = r.Int(0);
  auto nature = ParseServiceNature(r.Text(1));
  auto network = ParseNetworkKind(r.Text(2));
  if (!nature || !network) return Error::Internal("stored programme scope does not parse");
  s.nature = *nature;
  s.network = *network;
  std::vector<FieldError> ignored;
  s.methods = ParseMethods(internal::FromJsonList(r.Text(3)), ignored);
  if (s.methods.empty() || !ignored.empty()) {
    return Error::Internal("stored programme methods do not parse");
  }
  s.area_codes = internal::FromJsonList(r.Text(4));
  s.services = internal::FromJsonList(r.Text(5));
  s.change_note = r.Text(6);
  Derive(s);
  return s;
}
}  // namespace

std::vector<Method> ParseMethods(const std::vector<std::string>& names,
                                 std::vector<FieldError>& errors) {
  std::set<Method> set;
  for (const auto& n : names) {
    if (auto m = ParseMethod(n)) {
      set.insert(*m);
    } else {
      errors.push_back({"methods", "Select methods from the list"});
      return {};
    }
  }
  return std::vector<Method>(set.begin(), set.end());
}

void Derive(ProgrammeScope& s) {
  s.depth = DeriveDepth(s.methods);
  s.quadrants = DeriveQuadrants(s.nature, s.network);
}

nlohmann::json ScopeJson(const ProgrammeScope& s) {
  std::vector<std::string> methods, quadrants;
  for (Method m : s.methods) methods.emplace_back(ToString(m));
  for (Quadrant q : s.quadrants) quadrants.emplace_back(ToString(q));
  return {{"nature", ToString(s.nature)},  {"network", ToString(s.network)},
          {"methods", methods},            {"depth", ToString(s.depth)},
          {"quadrants", quadrants},        {"areas", s.area_codes},
          {"services", s.services}};
}

Status InsertScope(storage::Tx& tx, int64_t programme_id, const ProgrammeScope& s) {
  std::vector<std::string> methods, quadrants;
  for (Method m : s.methods) methods.emplace_back(ToString(m));
  for (Quadrant q : s.quadrants) quadrants.emplace_back(ToString(q));
  return tx
      .Exec(kInsertScope,
            {programme_id, s.at, std::string(ToString(s.nature)), std::string(ToString(s.network)),
             internal::ToJsonList(methods), std::string(ToString(s.depth)),
             internal::ToJsonList(quadrants), internal::ToJsonList(s.area_codes),
             internal::ToJsonList(s.services), s.change_note})
      .status();
}

Result<std::vector<ProgrammeScope>> Scopes(storage::Tx& tx, int64_t programme_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(kScopes, {programme_id}));
  std::vector<ProgrammeScope> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(ProgrammeScope s, ScopeFromRow(r));
    out.push_back(std::move(s));
  }
  return out;
}

Result<Programme> Load(storage::Tx& tx, int64_t programme_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kProgramme, {programme_id}));
  if (!row) return Error::NotFound("No such programme");
  Programme p;
  p.id = row->Int(0);
  p.public_body_id = row->Int(1);
  p.public_body_name = row->Text(2);
  p.slug = row->Text(3);
  p.name = row->Text(4);
  p.summary = row->Text(5);
  p.eligibility_criteria = row->Text(6);
  p.annual_budget_pence = row->OptInt(7);
  p.created_at = row->Int(8);
  p.member_count = row->Int(9);
  ASSIGN_OR_RETURN(auto scope_row, tx.QueryOne(kCurrentScope, {programme_id}));
  if (!scope_row) return Error::Internal("programme has no scope row");
  ASSIGN_OR_RETURN(p.scope, ScopeFromRow(*scope_row));
  ASSIGN_OR_RETURN(auto areas, tx.Query(kAreas, {programme_id}));
  for (const auto& a : areas) {
    p.areas.push_back(Area{a.Int(0), a.Int(1), a.Text(2), a.Text(3), a.Int(4)});
  }
  return p;
}

Result<std::vector<int64_t>> ResolveAreas(storage::Tx& tx, int64_t public_body_id,
                                          const std::vector<std::string>& codes) {
  std::vector<int64_t> ids;
  for (const auto& code : codes) {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM areas WHERE public_body_id = :b AND "
                                           "code = :c",
                                           {public_body_id, code}));
    if (!row) {
      return Error::Field("areas", "There is no area with code " + code +
                                       " in this public body; import its postcodes first");
    }
    ids.push_back(row->Int(0));
  }
  return ids;
}

Result<std::vector<int64_t>> ResolveServices(storage::Tx& tx, int64_t public_body_id,
                                             const std::vector<std::string>& names,
                                             ServiceNature nature) {
  std::vector<int64_t> ids;
  const std::string stored_nature(
      ToString(nature == ServiceNature::kCore ? ServiceNature::kCore : ServiceNature::kDiscretionary));
  for (const auto& name : names) {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM services WHERE public_body_id = :b "
                                           "AND name = :n",
                                           {public_body_id, name}));
    if (row) {
      ids.push_back(row->Int(0));
      continue;
    }
    ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO services (public_body_id, name, nature) "
                                           "VALUES (:b, :n, :k) RETURNING id",
                                           {public_body_id, name, stored_nature}));
    ids.push_back(id);
  }
  return ids;
}

Status ReplaceLinks(storage::Tx& tx, int64_t programme_id, const std::vector<int64_t>& area_ids,
                    const std::vector<int64_t>& service_ids) {
  RETURN_IF_ERROR(tx.Exec("DELETE FROM programme_areas WHERE programme_id = :p", {programme_id}));
  RETURN_IF_ERROR(tx.Exec("DELETE FROM programme_services WHERE programme_id = :p", {programme_id}));
  for (int64_t a : area_ids) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO programme_areas (programme_id, area_id) VALUES (:p, :a)",
                            {programme_id, a}));
  }
  for (int64_t s : service_ids) {
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO programme_services (programme_id, service_id) VALUES (:p, :s)",
        {programme_id, s}));
  }
  return Status::Ok();
}

std::vector<std::string> CleanList(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::string t = internal::Trim(item);
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

}  // namespace communitise::app::programmes_store
