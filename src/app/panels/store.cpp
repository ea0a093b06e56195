#include "store.h"

#include <charconv>

namespace communitise::app::panels_store {
namespace {

using nlohmann::json;

constexpr std::string_view kLoad =
    "SELECT p.id, p.programme_id, g.public_body_id, g.slug, p.name, p.panel_size, p.categories, "
    "p.codes_per_household, p.invitation_seed, p.invitation_seed_published_at, "
    "p.invitations_drawn_at, p.draw_seed, p.drawn_at, p.created_at, "
    "(SELECT COUNT(*) FROM panel_addresses a WHERE a.panel_id = p.id), "
    "(SELECT COUNT(*) FROM panel_invitations i WHERE i.panel_id = p.id), "
    "(SELECT COUNT(*) FROM panel_respondents r WHERE r.panel_id = p.id) "
    "FROM panels p JOIN programmes g ON g.id = p.programme_id WHERE p.id = :id";

constexpr std::string_view kRespondents =
    "SELECT r.id, r.panel_id, r.user_id, u.display_name, r.features, r.availability, "
    "r.created_at, COALESCE(ar.name, ''), COALESCE(m.status, '') "
    "FROM panel_respondents r JOIN users u ON u.id = r.user_id "
    "JOIN panel_invitations i ON i.id = r.invitation_id "
    "JOIN panel_addresses a ON a.id = i.address_id LEFT JOIN areas ar ON ar.id = a.area_id "
    "LEFT JOIN panel_members m ON m.respondent_id = r.id "
    "WHERE r.panel_id = :p";

}  // namespace

Result<Panel> Load(storage::Tx& tx, int64_t panel_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(kLoad, {panel_id}));
  if (!row) return Error::NotFound("No such panel");
  const storage::Row& r = *row;
  Panel p;
  p.id = r.Int(0);
  p.programme_id = r.Int(1);
  p.public_body_id = r.Int(2);
  p.programme_slug = r.Text(3);
  p.name = r.Text(4);
  p.panel_size = static_cast<int>(r.Int(5));
  p.categories = CategoriesFromJson(r.Text(6));
  p.codes_per_household = static_cast<int>(r.Int(7));
  p.invitation_seed = r.OptText(8);
  p.invitation_seed_published_at = r.OptInt(9);
  p.invitations_drawn_at = r.OptInt(10);
  p.draw_seed = r.OptText(11);
  p.drawn_at = r.OptInt(12);
  p.created_at = r.Int(13);
  p.address_count = r.Int(14);
  p.invitation_count = r.Int(15);
  p.respondent_count = r.Int(16);
  return p;
}

std::string CategoriesToJson(const std::vector<PanelCategory>& categories) {
  json out = json::array();
  for (const auto& c : categories) {
    json values = json::array();
    for (const auto& v : c.values) {
      json jv{{"name", v.name}, {"min", v.min}, {"max", v.max}};
      if (v.population_percent) jv["population_percent"] = *v.population_percent;
      values.push_back(jv);
    }
    out.push_back({{"name", c.name}, {"values", values}});
  }
  return out.dump();
}

std::vector<PanelCategory> CategoriesFromJson(std::string_view text) {
  std::vector<PanelCategory> out;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    PanelCategory cat;
    cat.name = c.value("name", "");
    for (const auto& v : c.value("values", json::array())) {
      PanelValue pv;
      pv.name = v.value("name", "");
      pv.min = v.value("min", 0);
      pv.max = v.value("max", 0);
      if (v.contains("population_percent")) pv.population_percent = v["population_percent"].get<double>();
      cat.values.push_back(pv);
    }
    out.push_back(std::move(cat));
  }
  return out;
}

sortition::Quotas ToQuotas(const std::vector<PanelCategory>& categories) {
  sortition::Quotas q;
  for (const auto& c : categories) {
    sortition::Category cat;
    cat.name = c.name;
    for (const auto& v : c.values) cat.values.push_back({v.name, v.min, v.max, {}, {}});
    q.categories.push_back(std::move(cat));
  }
  return q;
}

Result<std::vector<Respondent>> LoadRespondents(storage::Tx& tx, int64_t panel_id,
                                                std::optional<int64_t> only) {
  ASSIGN_OR_RETURN(auto rows, only ? tx.Query(std::string(kRespondents) + " AND r.id = :r",
                                              {panel_id, *only})
                                   : tx.Query(std::string(kRespondents) + " ORDER BY r.id",
                                              {panel_id}));
  std::vector<Respondent> out;
  for (const auto& r : rows) {
    Respondent x;
    x.id = r.Int(0);
    x.panel_id = r.Int(1);
    x.user_id = r.Int(2);
    x.display_name = r.Text(3);
    json f = json::parse(r.Text(4), nullptr, false);
    if (f.is_object()) {
      for (auto it = f.begin(); it != f.end(); ++it) {
        if (it.value().is_string()) x.features[it.key()] = it.value().get<std::string>();
      }
    }
    x.availability = r.Text(5);
    x.created_at = r.Int(6);
    x.area_name = r.Text(7);
    x.member_status = r.Text(8);
    out.push_back(std::move(x));
  }
  return out;
}

Result<std::map<int64_t, int64_t>> InvitationsOf(storage::Tx& tx, int64_t panel_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, invitation_id FROM panel_respondents "
                                       "WHERE panel_id = :p",
                                       {panel_id}));
  std::map<int64_t, int64_t> out;
  for (const auto& r : rows) out[r.Int(0)] = r.Int(1);
  return out;
}

Result<sortition::Problem> BuildProblem(const Panel& panel,
                                        const std::vector<Respondent>& respondents,
                                        const std::vector<int64_t>& invitation_of) {
  sortition::Problem problem;
  problem.quotas = ToQuotas(panel.categories);
  problem.panel_size = panel.panel_size;
  problem.one_per_household = true;
  for (size_t i = 0; i < respondents.size(); ++i) {
    const Respondent& r = respondents[i];
    sortition::Person person;
    person.id = "r" + std::to_string(r.id);
    for (const auto& c : problem.quotas.categories) {
      auto it = r.features.find(c.name);
      const int v = it == r.features.end() ? -1 : c.FindValue(it->second);
      if (v < 0) {
        return Error::InvalidArgument("A respondent's answer for " + c.name +
                                      " is not one of the quota values");
      }
      person.values.push_back(v);
    }
    person.household = "i" + std::to_string(invitation_of[i]);
    problem.people.push_back(std::move(person));
  }
  return problem;
}

Result<sortition::Problem> ProblemFor(storage::Tx& tx, const Panel& panel,
                                      const std::vector<int64_t>& respondent_ids) {
  ASSIGN_OR_RETURN(auto all, LoadRespondents(tx, panel.id));
  ASSIGN_OR_RETURN(auto invitation_of, InvitationsOf(tx, panel.id));
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < all.size(); ++i) index[all[i].id] = i;
  std::vector<Respondent> pool;
  std::vector<int64_t> invitations;
  for (int64_t id : respondent_ids) {
    auto it = index.find(id);
    if (it == index.end()) return Error::NotFound("A respondent of this selection is gone");
    pool.push_back(all[it->second]);
    invitations.push_back(invitation_of[id]);
  }
  return BuildProblem(panel, pool, invitations);
}

Result<std::vector<PanelMember>> CurrentMembers(storage::Tx& tx, int64_t panel_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT m.id, m.respondent_id, r.user_id, u.display_name, m.status, "
                            "m.note, m.at FROM panel_members m "
                            "JOIN panel_respondents r ON r.id = m.respondent_id "
                            "JOIN users u ON u.id = r.user_id WHERE m.panel_id = :p "
                            "ORDER BY m.id",
                            {panel_id}));
  std::vector<PanelMember> out;
  for (const auto& r : rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
  }
  return out;
}

std::optional<uint64_t> ParseSeed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace communitise::app::panels_store
