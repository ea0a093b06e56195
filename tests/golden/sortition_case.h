// Golden cases for the sortition engine: one small `key = value` file per case under
// tests/golden/sortition/, read at run time, so a new case is a new file.
//
// Keys: instance (folder under COMMUNITISE_SHARED_DATA/sortition), size, households
// (address columns, comma-separated), quota (repeatable `category,value,min,max`
// override), leximin_min (expected LEXIMIN minimum probability), expect (feasible,
// the default, or infeasible), relax_categories (every suggested change lies in these),
// relax_values (category/value pairs that must be named), relax_seats (total seats the
// smallest relaxation moves).
#ifndef COMMUNITISE_TESTS_GOLDEN_SORTITION_CASE_H_
#define COMMUNITISE_TESTS_GOLDEN_SORTITION_CASE_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "communitise/sortition/csv_io.h"

namespace communitise::sortition::golden {

struct Case {
  std::string name;
  std::multimap<std::string, std::string> keys;
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = keys.find(key);
    return it == keys.end() ? fallback : it->second;
  }
  std::vector<std::string> All(const std::string& key) const {
    std::vector<std::string> out;
    for (auto [it, end] = keys.equal_range(key); it != end; ++it) out.push_back(it->second);
    return out;
  }
};

// gtest prints a case by its name.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string TrimCopy(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

inline std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!TrimCopy(part).empty()) out.push_back(TrimCopy(part));
  }
  return out;
}

inline std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const std::filesystem::path dir =
      std::filesystem::path(COMMUNITISE_SOURCE_DIR) / "tests/golden/sortition";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".case") continue;
    Case c;
    c.name = entry.path().stem().string();
    std::stringstream in(Slurp(entry.path()));
    std::string line;
    while (std::getline(in, line)) {
      line = TrimCopy(line);
      if (line.empty() || line[0] == '#') continue;
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      c.keys.emplace(TrimCopy(line.substr(0, eq)), TrimCopy(line.substr(eq + 1)));
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

// The case's problem: shared instance files plus the case's quota overrides.
inline Result<Problem> LoadProblem(const Case& c) {
  const std::filesystem::path dir =
      std::filesystem::path(COMMUNITISE_SHARED_DATA) / "sortition" / c.Get("instance");
  ASSIGN_OR_RETURN(Quotas quotas,
                   ReadQuotasCsv(Slurp(dir / "categories.csv"), "categories.csv"));
  for (const std::string& q : c.All("quota")) {
    const auto f = Split(q);
    if (f.size() != 4) return Error::InvalidArgument("bad quota override " + q);
    const int ci = quotas.FindCategory(f[0]);
    if (ci < 0) return Error::InvalidArgument("no category " + f[0]);
    const int vi = quotas.categories[ci].FindValue(f[1]);
    if (vi < 0) return Error::InvalidArgument("no value " + f[1]);
    quotas.categories[ci].values[vi].min = std::stoi(f[2]);
    quotas.categories[ci].values[vi].max = std::stoi(f[3]);
  }
  RespondentsOptions options;
  options.household_columns = Split(c.Get("households"));
  ASSIGN_OR_RETURN(Respondents people, ReadRespondentsCsv(Slurp(dir / "respondents.csv"),
                                                          "respondents.csv", quotas, options));
  Problem p{std::move(quotas), std::move(people.people), std::stoi(c.Get("size", "0")),
            !options.household_columns.empty()};
  return p;
}

}  // namespace communitise::sortition::golden

#endif  // COMMUNITISE_TESTS_GOLDEN_SORTITION_CASE_H_
