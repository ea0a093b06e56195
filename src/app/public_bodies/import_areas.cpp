// Use case: import a postcode→area CSV. All or nothing: a malformed file stores nothing.
#include <map>

#include "../common/util.h"
#include "communitise/app/public_bodies.h"
#include "permissions.h"

namespace communitise::app {

namespace {
constexpr std::string_view kBodyExists = "SELECT id FROM public_bodies WHERE id = :b";
constexpr std::string_view kUpsertArea =
    "INSERT INTO areas (public_body_id, code, name) VALUES (:b, :c, :n) "
    "ON CONFLICT (public_body_id, code) DO UPDATE SET name = excluded.name RETURNING id";
constexpr std::string_view kUpsertPostcode =
    "INSERT INTO postcodes (public_body_id, postcode, area_id) VALUES (:b, :p, :a) "
    "ON CONFLICT (public_body_id, postcode) DO UPDATE SET area_id = excluded.area_id";
}  // namespace

Result<ImportSummary> PublicBodies::ImportAreas(const Actor* actor, int64_t public_body_id,
                                                std::string_view csv_text,
                                                std::string_view file_name) {
  ASSIGN_OR_RETURN(std::vector<PostcodeAreaRow> rows, ParsePostcodeAreaCsv(csv_text, file_name));
  if (!public_bodies_permissions::CanImportAreas(actor, public_body_id)) {
    return Error::Forbidden();
  }
  const int64_t now = clock_.NowSeconds();
  ImportSummary summary;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    summary = ImportSummary{};
    ASSIGN_OR_RETURN(auto body, tx.QueryOne(kBodyExists, {public_body_id}));
    if (!body) return Error::NotFound("No such public body");
    std::map<std::string, int64_t> area_ids;
    for (const PostcodeAreaRow& row : rows) {
      auto it = area_ids.find(row.area_code);
      if (it == area_ids.end()) {
        ASSIGN_OR_RETURN(int64_t id,
                         tx.Insert(kUpsertArea, {public_body_id, row.area_code, row.area_name}));
        it = area_ids.emplace(row.area_code, id).first;
      }
      RETURN_IF_ERROR(tx.Exec(kUpsertPostcode, {public_body_id, row.postcode, it->second}));
    }
    summary.areas = static_cast<int64_t>(area_ids.size());
    summary.postcodes = static_cast<int64_t>(rows.size());
    return internal::Audit(tx, now, actor, std::nullopt, "areas.import",
                           "public_body:" + std::to_string(public_body_id),
                           {{"file", std::string(file_name)},
                            {"areas", summary.areas},
                            {"postcodes", summary.postcodes}});
  }));
  return summary;
}

}  // namespace communitise::app
