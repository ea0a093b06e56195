#include "communitise/core/csv.h"

#include <algorithm>
#include <cctype>

#include "communitise/core/text.h"

namespace communitise {
namespace {

Error At(std::string_view file, int line, const std::string& what) {
  return Error::InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

bool IsBlank(const CsvRecord& r) {
  return std::all_of(r.fields.begin(), r.fields.end(),
                     [](const std::string& f) { return f.empty(); });
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, std::string_view file_name) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  bool in_quotes = false, quoted = false, any = false;
  auto end_field = [&] {
    record.fields.push_back(quoted ? field : Trim(field));
    field.clear();
    quoted = false;
  };
  auto end_record = [&] {
    end_field();
    out.push_back(std::move(record));
    record = CsvRecord();
    any = false;
  };
  int quote_line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (!any) record.line = line;
    switch (c) {
      case '"':
        if (!Trim(field).empty()) return At(file_name, line, "a quote inside an unquoted field");
        field.clear();
        in_quotes = quoted = any = true;
        quote_line = line;
        break;
      case ',':
        any = true;
        end_field();
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        ++line;
        break;
      default:
        if (quoted) {
          if (std::isspace(static_cast<unsigned char>(c))) break;
          return At(file_name, line, "text after a closing quote");
        }
        any = true;
        field += c;
    }
  }
  if (in_quotes) return At(file_name, quote_line, "a quoted field is never closed");
  if (any || !field.empty() || !record.fields.empty()) end_record();
  std::erase_if(out, [](const CsvRecord& r) { return IsBlank(r); });
  return out;
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos &&
      Trim(value).size() == value.size()) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace communitise
