// Pure parsing of postcodes and of postcode→area CSV files (ONS Postcode Directory
// column style).
#include <algorithm>
#include <cctype>
#include <map>

#include "communitise/app/postcode_csv.h"
#include "communitise/core/csv.h"
#include "communitise/core/text.h"

namespace communitise::app {

std::string NormalisePostcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (compact.size() < 5 || compact.size() > 7) return {};
  const std::string outward = compact.substr(0, compact.size() - 3);
  const std::string inward = compact.substr(compact.size() - 3);
  if (!std::isdigit(static_cast<unsigned char>(inward[0])) ||
      !std::isalpha(static_cast<unsigned char>(inward[1])) ||
      !std::isalpha(static_cast<unsigned char>(inward[2]))) {
    return {};
  }
  if (!std::isalpha(static_cast<unsigned char>(outward[0]))) return {};
  if (!std::any_of(outward.begin(), outward.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return {};
  }
  return outward + " " + inward;
}

Result<std::vector<PostcodeAreaRow>> ParsePostcodeAreaCsv(std::string_view text,
                                                          std::string_view file_name) {
  auto with_field = [](Error e) {
    e.fields = {{"file", e.public_message}};
    return e;
  };
  auto fail = [&](int line, const std::string& what) {
    return with_field(Error::InvalidArgument(std::string(file_name) + ":" +
                                             std::to_string(line) + ": " + what));
  };
  auto split = ParseCsv(text, file_name);
  if (!split.ok()) return with_field(std::move(split).error());
  const std::vector<CsvRecord>& records = *split;
  if (records.empty()) return fail(1, "the file is empty; expected a header row");

  std::vector<std::string> header;
  for (const auto& h : records[0].fields) header.push_back(AsciiLower(h));
  auto find = [&](const std::vector<std::string>& names) -> int {
    for (const auto& n : names) {
      auto it = std::find(header.begin(), header.end(), n);
      if (it != header.end()) return static_cast<int>(it - header.begin());
    }
    return -1;
  };
  const int pc = find({"pcds", "pcd", "pcd2", "postcode"});
  // Ward code columns carry the boundary year (wd24cd, wd23cd, …): take the newest.
  int code = -1, name = -1;
  {
    int best_year = -1;
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string& h = header[i];
      const bool ward_code = h.size() == 6 && h.rfind("wd", 0) == 0 && h.substr(4) == "cd" &&
                             std::isdigit(static_cast<unsigned char>(h[2])) &&
                             std::isdigit(static_cast<unsigned char>(h[3]));
      if (!ward_code) continue;
      const int year = (h[2] - '0') * 10 + (h[3] - '0');
      if (year > best_year) {
        best_year = year;
        code = static_cast<int>(i);
      }
    }
    if (code >= 0) {
      const std::string name_col = "wd" + header[code].substr(2, 2) + "nm";
      name = find({name_col});
    } else {
      code = find({"osward", "ward_code", "area_code"});
      name = find({"ward_name", "area_name"});
    }
  }
  if (pc < 0) return fail(records[0].line, "no postcode column (expected pcds, pcd or postcode)");
  if (code < 0) {
    return fail(records[0].line,
                "no ward code column (expected a column like wd24cd, osward or area_code)");
  }
  const int terminated = find({"doterm"});

  std::vector<PostcodeAreaRow> rows;
  std::map<std::string, std::pair<std::string, int>> seen;  // postcode → (area, line)
  std::map<std::string, std::string> area_names;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.size()) {
      return fail(rec.line, "expected " + std::to_string(header.size()) + " fields, found " +
                                std::to_string(rec.fields.size()));
    }
    // ONSPD keeps terminated postcodes with a termination date; they house nobody.
    if (terminated >= 0 && !rec.fields[terminated].empty()) continue;
    PostcodeAreaRow row;
    row.line = rec.line;
    row.postcode = NormalisePostcode(rec.fields[pc]);
    if (row.postcode.empty()) {
      return fail(rec.line, "\"" + rec.fields[pc] + "\" is not a valid postcode");
    }
    row.area_code = rec.fields[code];
    if (row.area_code.empty()) return fail(rec.line, "the ward code is empty");
    if (row.area_code.size() > 20) return fail(rec.line, "the ward code is too long");
    row.area_name = name >= 0 && !rec.fields[name].empty() ? rec.fields[name] : row.area_code;
    if (row.area_name.size() > 200) return fail(rec.line, "the ward name is too long");
    if (!ValidUtf8(row.area_code) || !ValidUtf8(row.area_name)) {
      return fail(rec.line, "the ward code or name is not UTF-8 text");
    }
    auto [it, fresh] = seen.emplace(row.postcode, std::make_pair(row.area_code, rec.line));
    if (!fresh && it->second.first != row.area_code) {
      return fail(rec.line, row.postcode + " is already in ward " + it->second.first +
                                " (line " + std::to_string(it->second.second) + ")");
    }
    auto [name_it, new_area] = area_names.emplace(row.area_code, row.area_name);
    if (!new_area && name_it->second != row.area_name) {
      return fail(rec.line, "ward " + row.area_code + " is named \"" + name_it->second +
                                "\" earlier in the file and \"" + row.area_name + "\" here");
    }
    if (fresh) rows.push_back(std::move(row));
  }
  if (rows.empty()) return fail(records.back().line, "no postcode rows after the header");
  return rows;
}

}  // namespace communitise::app
