// Reading and writing the Sortition Foundation's CSV files, and the JSON form used by
// the API.
//
// Quotas: `category,feature,min,max` (stratification-app) or
// `feature,value,min,max[,min_flex,max_flex]` (sortition-algorithms); columns by
// header name, extra columns ignored. Respondents: a header row; an `id` column (any
// case) names people, and without one a person is identified by their data row
// number counting from 1; one column per quota category; any other columns are kept
// only when named as household columns. Fields are trimmed; values match exactly.
// Quoting follows RFC 4180; a UTF-8 byte-order mark is skipped.
//
// A respondent whose value in a category is not one the quotas name is an error by
// default (the quotas must say how many such people may sit on the panel). With
// UnknownValues::kExclude they are left out of the pool and listed in `excluded`,
// since no quota admits them.
//
// Errors: kInvalidArgument with the public message `FILE:LINE: what is wrong` (LINE is
// the physical line where the offending record starts).
// Thread safety: pure functions.
#ifndef COMMUNITISE_SORTITION_CSV_IO_H_
#define COMMUNITISE_SORTITION_CSV_IO_H_

#include <string>
#include <string_view>
#include <vector>

#include "communitise/core/csv.h"
#include "communitise/core/result.h"
#include "communitise/sortition/model.h"

namespace communitise::sortition {

// The CSV reader and field writer are core's (communitise/core/csv.h).
using ::communitise::CsvField;
using ::communitise::CsvRecord;
using ::communitise::ParseCsv;

Result<Quotas> ReadQuotasCsv(std::string_view text, std::string_view file_name);
std::string WriteQuotasCsv(const Quotas& quotas);  // category,feature,min,max[,min_flex,max_flex]

enum class UnknownValues { kError, kExclude };

struct RespondentsOptions {
  // Columns whose joined values form the household key (empty: no households).
  std::vector<std::string> household_columns;
  UnknownValues unknown_values = UnknownValues::kError;
};

struct Respondents {
  std::vector<Person> people;
  // Ids of respondents left out under UnknownValues::kExclude, with the reason.
  std::vector<std::string> excluded;
};

Result<Respondents> ReadRespondentsCsv(std::string_view text, std::string_view file_name,
                                       const Quotas& quotas,
                                       const RespondentsOptions& options = {});

// id, then one column per category, then `household` when any person has one.
std::string WriteRespondentsCsv(const Quotas& quotas, const std::vector<Person>& people);

// JSON form: {"panel_size": k, "one_per_household": bool, "categories": [{"name",
// "values": [{"name","min","max"[,"min_flex","max_flex"]}]}], "people": [{"id",
// "features": {category: value}, "household"?}]}. Errors name the JSON path.
Result<Problem> ProblemFromJson(std::string_view json);
std::string ProblemToJson(const Problem& problem);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_CSV_IO_H_
