#include "communitise/sortition/csv_io.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "communitise/core/text.h"

namespace communitise::sortition {
namespace {

Error At(std::string_view file, int line, const std::string& what) {
  return Error::InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

std::optional<int> ParseInt(const std::string& s) {
  int v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) {
    // Spreadsheets write whole numbers as "3.0".
    double d = 0;
    auto [p2, ec2] = std::from_chars(s.data(), end, d);
    if (ec2 != std::errc() || p2 != end || s.empty() || d != static_cast<int>(d)) {
      return std::nullopt;
    }
    return static_cast<int>(d);
  }
  return v;
}

}  // namespace

Result<Quotas> ReadQuotasCsv(std::string_view text, std::string_view file_name) {
  ASSIGN_OR_RETURN(auto records, ParseCsv(text, file_name));
  if (records.empty()) return At(file_name, 1, "the quotas file is empty");
  const CsvRecord& header = records[0];
  std::map<std::string, int> col;
  for (size_t i = 0; i < header.fields.size(); ++i) col[AsciiLower(header.fields[i])] = i;
  int cat_col = -1, val_col = -1;
  if (col.count("category") && col.count("feature")) {
    cat_col = col["category"];
    val_col = col["feature"];
  } else if (col.count("feature") && col.count("value")) {
    cat_col = col["feature"];
    val_col = col["value"];
  } else {
    return At(file_name, header.line,
              "the header needs columns category,feature,min,max or "
              "feature,value,min,max");
  }
  if (!col.count("min") || !col.count("max")) {
    return At(file_name, header.line, "the header needs min and max columns");
  }
  const int min_col = col["min"], max_col = col["max"];
  const int min_flex_col = col.count("min_flex") ? col["min_flex"] : -1;
  const int max_flex_col = col.count("max_flex") ? col["max_flex"] : -1;
  const size_t needed =
      1 + std::max({cat_col, val_col, min_col, max_col, min_flex_col, max_flex_col});
  Quotas q;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() < needed) {
      return At(file_name, rec.line,
                "expected " + std::to_string(needed) + " fields, found " +
                    std::to_string(rec.fields.size()));
    }
    const std::string& cat = rec.fields[cat_col];
    const std::string& val = rec.fields[val_col];
    if (cat.empty()) return At(file_name, rec.line, "the category name is empty");
    if (AsciiLower(cat) == "id") {
      return At(file_name, rec.line, "a category may not be called '" + cat +
                                         "': the respondents' id column has that name");
    }
    if (val.empty()) return At(file_name, rec.line, "the value of '" + cat + "' is empty");
    auto parse = [&](int c, const char* what) -> Result<int> {
      auto v = ParseInt(rec.fields[c]);
      if (!v || *v < 0) {
        return At(file_name, rec.line,
                  std::string(what) + " '" + rec.fields[c] + "' is not a whole number >= 0");
      }
      return *v;
    };
    FeatureValue fv;
    fv.name = val;
    ASSIGN_OR_RETURN(fv.min, parse(min_col, "min"));
    ASSIGN_OR_RETURN(fv.max, parse(max_col, "max"));
    if (fv.min > fv.max) {
      return At(file_name, rec.line,
                cat + "/" + val + ": min " + std::to_string(fv.min) + " > max " +
                    std::to_string(fv.max));
    }
    if (min_flex_col >= 0 && !rec.fields[min_flex_col].empty()) {
      ASSIGN_OR_RETURN(int mf, parse(min_flex_col, "min_flex"));
      if (mf > fv.min) {
        return At(file_name, rec.line, cat + "/" + val + ": min_flex above min");
      }
      fv.min_flex = mf;
    }
    if (max_flex_col >= 0 && !rec.fields[max_flex_col].empty()) {
      ASSIGN_OR_RETURN(int mf, parse(max_flex_col, "max_flex"));
      if (mf < fv.max) {
        return At(file_name, rec.line, cat + "/" + val + ": max_flex below max");
      }
      fv.max_flex = mf;
    }
    int c = q.FindCategory(cat);
    if (c < 0) {
      q.categories.push_back(Category{cat, {}});
      c = static_cast<int>(q.categories.size()) - 1;
    }
    if (q.categories[c].FindValue(val) >= 0) {
      return At(file_name, rec.line, "duplicate quota for " + cat + "/" + val);
    }
    q.categories[c].values.push_back(std::move(fv));
  }
  if (q.categories.empty()) return At(file_name, header.line, "no quotas after the header");
  return q;
}

std::string WriteQuotasCsv(const Quotas& quotas) {
  bool flex = false;
  for (const auto& c : quotas.categories) {
    for (const auto& v : c.values) flex = flex || v.min_flex || v.max_flex;
  }
  std::string out = flex ? "category,feature,min,max,min_flex,max_flex\n"
                         : "category,feature,min,max\n";
  for (const auto& c : quotas.categories) {
    for (const auto& v : c.values) {
      out += CsvField(c.name) + "," + CsvField(v.name) + "," + std::to_string(v.min) +
             "," + std::to_string(v.max);
      if (flex) {
        out += "," + (v.min_flex ? std::to_string(*v.min_flex) : std::string()) + "," +
               (v.max_flex ? std::to_string(*v.max_flex) : std::string());
      }
      out += "\n";
    }
  }
  return out;
}

Result<Respondents> ReadRespondentsCsv(std::string_view text, std::string_view file_name,
                                       const Quotas& quotas,
                                       const RespondentsOptions& options) {
  ASSIGN_OR_RETURN(auto records, ParseCsv(text, file_name));
  if (records.empty()) return At(file_name, 1, "the respondents file is empty");
  const CsvRecord& header = records[0];
  std::map<std::string, int> col;
  int id_col = -1;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (!col.emplace(header.fields[i], i).second) {
      return At(file_name, header.line, "column '" + header.fields[i] + "' appears twice");
    }
    if (AsciiLower(header.fields[i]) == "id" && id_col < 0) id_col = static_cast<int>(i);
  }
  std::vector<int> cat_col;
  for (const auto& c : quotas.categories) {
    auto it = col.find(c.name);
    if (it == col.end()) {
      return At(file_name, header.line, "no column for the quota category '" + c.name + "'");
    }
    cat_col.push_back(it->second);
  }
  std::vector<int> house_col;
  for (const auto& h : options.household_columns) {
    auto it = col.find(h);
    if (it == col.end()) {
      return At(file_name, header.line, "no household column '" + h + "'");
    }
    house_col.push_back(it->second);
  }
  Respondents out;
  std::map<std::string, int> id_line;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.fields.size()) {
      return At(file_name, rec.line,
                "expected " + std::to_string(header.fields.size()) + " fields, found " +
                    std::to_string(rec.fields.size()));
    }
    Person p;
    p.line = rec.line;
    p.id = id_col >= 0 ? rec.fields[id_col] : std::to_string(r);
    if (p.id.empty()) return At(file_name, rec.line, "the id is empty");
    auto [it, inserted] = id_line.emplace(p.id, rec.line);
    if (!inserted) {
      return At(file_name, rec.line,
                "duplicate id '" + p.id + "' (first on line " + std::to_string(it->second) +
                    ")");
    }
    bool excluded = false;
    for (size_t c = 0; c < quotas.categories.size(); ++c) {
      const std::string& v = rec.fields[cat_col[c]];
      const Category& cat = quotas.categories[c];
      if (v.empty()) {
        return At(file_name, rec.line, "respondent '" + p.id + "' has no value for '" +
                                           cat.name + "'");
      }
      const int idx = cat.FindValue(v);
      if (idx < 0) {
        if (options.unknown_values == UnknownValues::kExclude) {
          out.excluded.push_back(p.id + ": " + cat.name + " '" + v + "' has no quota");
          excluded = true;
          break;
        }
        return At(file_name, rec.line,
                  "unknown value '" + v + "' for '" + cat.name + "' (respondent '" + p.id +
                      "'); the quotas name no such value");
      }
      p.values.push_back(idx);
    }
    if (excluded) continue;
    std::string key;
    bool any = false;
    for (size_t i = 0; i < house_col.size(); ++i) {
      const std::string& part = rec.fields[house_col[i]];
      any = any || !part.empty();
      if (i) key += '\x1f';
      key += AsciiLower(part);
    }
    if (any) p.household = key;
    out.people.push_back(std::move(p));
  }
  return out;
}

std::string WriteRespondentsCsv(const Quotas& quotas, const std::vector<Person>& people) {
  const bool households = std::any_of(people.begin(), people.end(),
                                      [](const Person& p) { return !p.household.empty(); });
  std::string out = "id";
  for (const auto& c : quotas.categories) out += "," + CsvField(c.name);
  if (households) out += ",household";
  out += "\n";
  for (const auto& p : people) {
    out += CsvField(p.id);
    for (size_t c = 0; c < quotas.categories.size(); ++c) {
      out += "," + CsvField(quotas.categories[c].values[p.values[c]].name);
    }
    if (households) {
      std::string h = p.household;
      std::replace(h.begin(), h.end(), '\x1f', ' ');
      out += "," + CsvField(h);
    }
    out += "\n";
  }
  return out;
}

Result<Problem> ProblemFromJson(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Error::Field("$", "not a JSON object");
  }
  Problem p;
  if (!j.contains("panel_size") || !j["panel_size"].is_number_integer()) {
    return Error::Field("panel_size", "a whole number is required");
  }
  p.panel_size = j["panel_size"].get<int>();
  if (j.contains("one_per_household")) {
    if (!j["one_per_household"].is_boolean()) {
      return Error::Field("one_per_household", "true or false");
    }
    p.one_per_household = j["one_per_household"].get<bool>();
  }
  if (!j.contains("categories") || !j["categories"].is_array()) {
    return Error::Field("categories", "a list of categories is required");
  }
  for (size_t ci = 0; ci < j["categories"].size(); ++ci) {
    const json& jc = j["categories"][ci];
    const std::string path = "categories[" + std::to_string(ci) + "]";
    if (!jc.is_object() || !jc.contains("name") || !jc["name"].is_string() ||
        !jc.contains("values") || !jc["values"].is_array()) {
      return Error::Field(path, "needs a name and a list of values");
    }
    Category c{jc["name"].get<std::string>(), {}};
    if (p.quotas.FindCategory(c.name) >= 0) return Error::Field(path, "duplicate category");
    for (size_t vi = 0; vi < jc["values"].size(); ++vi) {
      const json& jv = jc["values"][vi];
      const std::string vpath = path + ".values[" + std::to_string(vi) + "]";
      if (!jv.is_object() || !jv.contains("name") || !jv["name"].is_string() ||
          !jv.contains("min") || !jv["min"].is_number_integer() || !jv.contains("max") ||
          !jv["max"].is_number_integer()) {
        return Error::Field(vpath, "needs name, min and max");
      }
      FeatureValue fv{jv["name"].get<std::string>(), jv["min"].get<int>(),
                      jv["max"].get<int>(), std::nullopt, std::nullopt};
      if (fv.min < 0 || fv.min > fv.max) return Error::Field(vpath, "needs 0 <= min <= max");
      if (jv.contains("min_flex") && jv["min_flex"].is_number_integer()) {
        fv.min_flex = jv["min_flex"].get<int>();
      }
      if (jv.contains("max_flex") && jv["max_flex"].is_number_integer()) {
        fv.max_flex = jv["max_flex"].get<int>();
      }
      if (c.FindValue(fv.name) >= 0) return Error::Field(vpath, "duplicate value");
      c.values.push_back(std::move(fv));
    }
    p.quotas.categories.push_back(std::move(c));
  }
  if (!j.contains("people") || !j["people"].is_array()) {
    return Error::Field("people", "a list of people is required");
  }
  for (size_t pi = 0; pi < j["people"].size(); ++pi) {
    const json& jp = j["people"][pi];
    const std::string path = "people[" + std::to_string(pi) + "]";
    if (!jp.is_object() || !jp.contains("id") || !jp["id"].is_string() ||
        !jp.contains("features") || !jp["features"].is_object()) {
      return Error::Field(path, "needs an id and features");
    }
    Person person;
    person.id = jp["id"].get<std::string>();
    for (const Category& c : p.quotas.categories) {
      const json& f = jp["features"];
      if (!f.contains(c.name) || !f[c.name].is_string()) {
        return Error::Field(path + ".features." + c.name, "missing");
      }
      const int idx = c.FindValue(f[c.name].get<std::string>());
      if (idx < 0) return Error::Field(path + ".features." + c.name, "unknown value");
      person.values.push_back(idx);
    }
    if (jp.contains("household") && jp["household"].is_string()) {
      person.household = jp["household"].get<std::string>();
    }
    p.people.push_back(std::move(person));
  }
  RETURN_IF_ERROR(ValidateProblem(p));
  return p;
}

std::string ProblemToJson(const Problem& problem) {
  using nlohmann::json;
  json j;
  j["panel_size"] = problem.panel_size;
  j["one_per_household"] = problem.one_per_household;
  j["categories"] = json::array();
  for (const auto& c : problem.quotas.categories) {
    json jc{{"name", c.name}, {"values", json::array()}};
    for (const auto& v : c.values) {
      json jv{{"name", v.name}, {"min", v.min}, {"max", v.max}};
      if (v.min_flex) jv["min_flex"] = *v.min_flex;
      if (v.max_flex) jv["max_flex"] = *v.max_flex;
      jc["values"].push_back(std::move(jv));
    }
    j["categories"].push_back(std::move(jc));
  }
  j["people"] = json::array();
  for (const auto& p : problem.people) {
    json jp{{"id", p.id}, {"features", json::object()}};
    for (size_t c = 0; c < problem.quotas.categories.size(); ++c) {
      jp["features"][problem.quotas.categories[c].name] =
          problem.quotas.categories[c].values[p.values[c]].name;
    }
    if (!p.household.empty()) jp["household"] = p.household;
    j["people"].push_back(std::move(jp));
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace communitise::sortition
