#include "communitise/sortition/invitations.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <optional>
#include <unordered_set>

#include "communitise/core/csv.h"
#include "communitise/core/text.h"
#include "communitise/sortition/random.h"

namespace communitise::sortition {
namespace {

Error At(std::string_view file, int line, const std::string& what) {
  return Error::InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

Result<std::vector<AddressRow>> ParseAddressCsv(std::string_view text,
                                                std::string_view file_name) {
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    return At(file_name, static_cast<int>(line) + 1, "a NUL byte");
  }
  ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  if (records.empty()) return At(file_name, 1, "the file is empty; expected a header row");
  const CsvRecord& header = records.front();
  std::optional<size_t> id_col, postcode_col;
  std::vector<size_t> line_cols;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = AsciiLower(header.fields[c]);
    if (name == "id" || name == "address_id") {
      if (id_col) return At(file_name, header.line, "two id columns");
      id_col = c;
    } else if (name == "postcode") {
      if (postcode_col) return At(file_name, header.line, "two postcode columns");
      postcode_col = c;
    } else {
      line_cols.push_back(c);
    }
  }
  if (!id_col) return At(file_name, header.line, "no id column");
  if (!postcode_col) return At(file_name, header.line, "no postcode column");
  if (records.size() - 1 > kMaxAddresses) {
    return At(file_name, records[kMaxAddresses + 1].line,
              "more than " + std::to_string(kMaxAddresses) + " addresses");
  }
  std::vector<AddressRow> out;
  out.reserve(records.size() - 1);
  std::unordered_set<std::string> seen;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.fields.size()) {
      return At(file_name, rec.line,
                "expected " + std::to_string(header.fields.size()) + " fields, found " +
                    std::to_string(rec.fields.size()));
    }
    AddressRow row;
    row.line = rec.line;
    row.id = Trim(rec.fields[*id_col]);
    row.postcode = Trim(rec.fields[*postcode_col]);
    if (row.id.empty()) return At(file_name, rec.line, "the id is empty");
    if (row.postcode.empty()) return At(file_name, rec.line, "the postcode is empty");
    if (!seen.insert(row.id).second) {
      return At(file_name, rec.line, "the id " + row.id + " appears twice");
    }
    for (size_t c : line_cols) {
      std::string l = Trim(rec.fields[c]);
      if (!l.empty()) row.lines.push_back(std::move(l));
    }
    if (row.lines.empty()) return At(file_name, rec.line, "no address lines");
    out.push_back(std::move(row));
  }
  if (out.empty()) return At(file_name, header.line, "no addresses after the header row");
  return out;
}

std::vector<int> DrawInvitations(int n, int count, uint64_t seed) {
  assert(count >= 0 && count <= n);
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  for (int j = 0; j < count; ++j) {
    const int r = j + static_cast<int>(rng.Below(static_cast<uint64_t>(n - j)));
    std::swap(order[j], order[r]);
  }
  order.resize(static_cast<size_t>(count));
  return order;
}

}  // namespace communitise::sortition
