#include "communitise/sortition/invitations.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <optional>
#include <unordered_set>

#include "communitise/sortition/random.h"

namespace communitise::sortition {
namespace {

Error At(std::string_view file, int line, const std::string& what) {
  return Error::InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Record {
  std::vector<std::string> fields;
  int line = 0;
};

// RFC 4180 with CRLF or LF line ends; blank lines are skipped.
Result<std::vector<Record>> ReadRecords(std::string_view text, std::string_view file) {
  std::vector<Record> out;
  Record record;
  std::string field;
  bool in_quotes = false, quoted = false, any = false;
  int line = 1, quote_line = 0;
  record.line = 1;
  auto end_field = [&] {
    record.fields.push_back(quoted ? field : Trim(field));
    field.clear();
    quoted = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !any;
    if (!blank) out.push_back(std::move(record));
    record = Record{};
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') return At(file, line, "a NUL byte");
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!Trim(field).empty()) return At(file, line, "a quote inside an unquoted field");
      field.clear();
      in_quotes = quoted = any = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\n') {
      end_record();
      ++line;
      record.line = line;
    } else if (c != '\r') {
      if (quoted) return At(file, line, "text after a closing quote");
      field.push_back(c);
      if (c != ' ' && c != '\t') any = true;
    }
  }
  if (in_quotes) return At(file, quote_line, "a quoted field is never closed");
  if (!field.empty() || any || !record.fields.empty()) end_record();
  return out;
}

}  // namespace

Result<std::vector<AddressRow>> ParseAddressCsv(std::string_view text,
                                                std::string_view file_name) {
  ASSIGN_OR_RETURN(std::vector<Record> records, ReadRecords(text, file_name));
  if (records.empty()) return At(file_name, 1, "the file is empty; expected a header row");
  const Record& header = records.front();
  std::optional<size_t> id_col, postcode_col;
  std::vector<size_t> line_cols;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = Lower(header.fields[c]);
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
    const Record& rec = records[r];
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
