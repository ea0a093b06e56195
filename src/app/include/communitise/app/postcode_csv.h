// Postcodes and postcode→area CSV files (ONS Postcode Directory column style): the pure
// parsing half of area import, with no dependencies beyond core so it can be fuzzed on
// its own. Thread-safe.
#ifndef COMMUNITISE_APP_POSTCODE_CSV_H_
#define COMMUNITISE_APP_POSTCODE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::app {

// One parsed CSV row (pure parse, before storage).
struct PostcodeAreaRow {
  std::string postcode;  // normalised
  std::string area_code;
  std::string area_name;
  int line = 0;
};

// "dh1 3le" → "DH1 3LE", "DH13LE" → "DH1 3LE". Empty when not a UK postcode shape
// (outward 2–4 characters starting with a letter, inward digit + 2 letters).
std::string NormalisePostcode(std::string_view text);

// Parses the CSV text. Errors: kInvalidArgument "FILE:LINE: what is wrong" (field
// "file") for a missing column, a bad postcode, an empty code, a row with the wrong
// number of fields, an unterminated quote, or no data rows.
Result<std::vector<PostcodeAreaRow>> ParsePostcodeAreaCsv(std::string_view text,
                                                          std::string_view file_name);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_POSTCODE_CSV_H_
