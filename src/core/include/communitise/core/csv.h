// CSV: the one reader and field writer for every file people upload (areas, respondents,
// quotas, address lists).
//
// ParseCsv reads RFC 4180 text: quoted fields may hold commas, doubled quotes and line
// breaks; CRLF or LF line ends; a UTF-8 byte-order mark at the start is skipped; spaces
// around unquoted fields are trimmed (spreadsheets add them); records whose fields are all
// empty (blank lines, ",,," rows) are dropped. Each record keeps the line it starts on, so
// callers can report `FILE:LINE: what is wrong`.
//
// Errors: kInvalidArgument "FILE:LINE: …" for an unterminated quote, a quote inside an
// unquoted field or text after a closing quote. Pure; thread-safe.
#ifndef COMMUNITISE_CORE_CSV_H_
#define COMMUNITISE_CORE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "communitise/core/result.h"

namespace communitise {

struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;  // 1-based line the record starts on
};

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, std::string_view file_name);

// One field for writing: quoted when it holds a comma, quote, line break or edge spaces.
std::string CsvField(std::string_view value);

}  // namespace communitise

#endif  // COMMUNITISE_CORE_CSV_H_
