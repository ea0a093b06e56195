// Use cases: read public bodies and their areas (public).
#include "../common/util.h"
#include "communitise/app/public_bodies.h"

namespace communitise::app {

namespace {
constexpr std::string_view kColumns = "SELECT id, slug, name, kind, created_at FROM public_bodies";
constexpr std::string_view kAreas =
    "SELECT a.id, a.public_body_id, a.code, a.name, "
    "(SELECT COUNT(*) FROM postcodes p WHERE p.area_id = a.id) "
    "FROM areas a WHERE a.public_body_id = :b ORDER BY a.name, a.code";
constexpr std::string_view kFindArea =
    "SELECT a.id, a.public_body_id, a.code, a.name, "
    "(SELECT COUNT(*) FROM postcodes q WHERE q.area_id = a.id) "
    "FROM postcodes p JOIN areas a ON a.id = p.area_id "
    "WHERE p.public_body_id = :b AND p.postcode = :pc";

PublicBody BodyFromRow(const storage::Row& r) {
  return PublicBody{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
}
Area AreaFromRow(const storage::Row& r) {
  return Area{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4)};
}
}  // namespace

Result<std::vector<PublicBody>> PublicBodies::List() {
  std::vector<PublicBody> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kColumns) + " ORDER BY name"));
    for (const auto& r : rows) out.push_back(BodyFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<PublicBody> PublicBodies::Get(int64_t id) {
  PublicBody out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kColumns) + " WHERE id = :id", {id}));
    if (!row) return Error::NotFound("No such public body");
    out = BodyFromRow(*row);
    return Status::Ok();
  }));
  return out;
}

Result<PublicBody> PublicBodies::GetBySlug(std::string_view slug) {
  PublicBody out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kColumns) + " WHERE slug = :s",
                                           {std::string(slug)}));
    if (!row) return Error::NotFound("No such public body");
    out = BodyFromRow(*row);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Area>> PublicBodies::ListAreas(int64_t public_body_id) {
  std::vector<Area> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto body, tx.QueryOne("SELECT id FROM public_bodies WHERE id = :b",
                                            {public_body_id}));
    if (!body) return Error::NotFound("No such public body");
    ASSIGN_OR_RETURN(auto rows, tx.Query(kAreas, {public_body_id}));
    for (const auto& r : rows) out.push_back(AreaFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<Area> PublicBodies::FindArea(int64_t public_body_id, std::string_view postcode) {
  const std::string normal = NormalisePostcode(postcode);
  if (normal.empty()) {
    return Error::Field("postcode", "Enter a full UK postcode, like DH1 3LE");
  }
  Area out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(kFindArea, {public_body_id, normal}));
    if (!row) return Error::NotFound(normal + " is not in any of this body's areas");
    out = AreaFromRow(*row);
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
