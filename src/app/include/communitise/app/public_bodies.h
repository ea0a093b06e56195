// Public bodies (councils, NHS commissioners, foundations) and their areas.
//
// Areas (wards, neighbourhoods, estates) are imported from a postcode→area CSV in the
// ONS Postcode Directory column style: a header row naming the columns; the postcode
// column is `pcds` (or `pcd`, `pcd2`, `postcode`); the area code column is a ward code
// such as `wd24cd`, `wd23cd`, …, `osward` (or `area_code`); the area name column is the
// matching `wd24nm`… (or `area_name`; optional — the code is used when absent). Quoted
// fields are allowed. A malformed file is rejected whole with "FILE:LINE: what is
// wrong" and nothing is stored; a valid import adds or replaces postcodes and areas.
//
// Ownership: holds references to the Database and Clock. Thread safety: safe for
// concurrent use.
//
// Form field names: create body: "name", "slug", "kind"; import: "file".
#ifndef COMMUNITISE_APP_PUBLIC_BODIES_H_
#define COMMUNITISE_APP_PUBLIC_BODIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/postcode_csv.h"
#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

struct PublicBody {
  int64_t id = 0;
  std::string slug;  // URL name, e.g. "county-durham"
  std::string name;  // "Durham County Council"
  std::string kind;  // "council", "nhs", "foundation", "other"
  int64_t created_at = 0;
};

struct CreatePublicBodyForm {
  std::string name;  // "name": 1..200 characters
  std::string slug;  // "slug": lower-case letters, digits, hyphens, 2..60; derived from name when empty
  std::string kind;  // "kind": council | nhs | foundation | other
};

struct Area {
  int64_t id = 0;
  int64_t public_body_id = 0;
  std::string code;  // e.g. "E05008918"
  std::string name;  // e.g. "Chester-le-Street North"
  int64_t postcode_count = 0;
};

struct ImportSummary {
  int64_t areas = 0;      // distinct areas in the file
  int64_t postcodes = 0;  // postcode rows stored
};

class PublicBodies {
 public:
  PublicBodies(storage::Database& db, Clock& clock) : db_(db), clock_(clock) {}

  // Site admins only. Errors: kInvalidArgument (fields), kConflict (field "slug").
  Result<PublicBody> Create(const Actor* actor, const CreatePublicBodyForm& form);
  // Public.
  Result<std::vector<PublicBody>> List();
  // Public. Errors: kNotFound.
  Result<PublicBody> Get(int64_t id);
  Result<PublicBody> GetBySlug(std::string_view slug);

  // Imports areas. Allowed to site admins and admins/officers of the body.
  // Errors: as ParsePostcodeAreaCsv; kNotFound; kForbidden.
  Result<ImportSummary> ImportAreas(const Actor* actor, int64_t public_body_id,
                                    std::string_view csv_text, std::string_view file_name);
  // Public: the body's areas with their postcode counts, by name.
  Result<std::vector<Area>> ListAreas(int64_t public_body_id);
  // Public: the area a postcode is in. Errors: kInvalidArgument (field "postcode") for a
  // malformed postcode; kNotFound when the body has no such postcode.
  Result<Area> FindArea(int64_t public_body_id, std::string_view postcode);

 private:
  storage::Database& db_;
  Clock& clock_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PUBLIC_BODIES_H_
