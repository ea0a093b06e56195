// Use cases: read constitutions (public) — current, in force at a time, by version.
#include "communitise/app/constitutions.h"
#include "store.h"

namespace communitise::app {

namespace {
Status RequireProgramme(storage::Tx& tx, int64_t programme_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM programmes WHERE id = :p", {programme_id}));
  if (!row) return Error::NotFound("No such programme");
  return Status::Ok();
}
}  // namespace

Result<Constitution> Constitutions::Current(int64_t programme_id) {
  return InForceAt(programme_id, clock_.NowSeconds());
}

Result<Constitution> Constitutions::InForceAt(int64_t programme_id, int64_t at) {
  Constitution out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(RequireProgramme(tx, programme_id));
    ASSIGN_OR_RETURN(auto c, constitutions_store::InForceAt(tx, programme_id, at));
    if (!c) return Error::NotFound("The programme had no constitution in force then");
    out = std::move(*c);
    return Status::Ok();
  }));
  return out;
}

Result<Constitution> Constitutions::Version(int64_t programme_id, int version) {
  Constitution out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(constitutions_store::kColumns) +
                                               " WHERE programme_id = :p AND version = :v",
                                           {programme_id, int64_t{version}}));
    if (!row) return Error::NotFound("No such version of the constitution");
    ASSIGN_OR_RETURN(out, constitutions_store::FromRow(*row));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Constitution>> Constitutions::ListVersions(int64_t programme_id) {
  std::vector<Constitution> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(RequireProgramme(tx, programme_id));
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(constitutions_store::kColumns) +
                                             " WHERE programme_id = :p ORDER BY version",
                                         {programme_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(Constitution c, constitutions_store::FromRow(r));
      out.push_back(std::move(c));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
