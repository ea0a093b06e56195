// Use cases: read programmes, their scope history and the service catalogue (public).
#include "communitise/app/programmes.h"
#include "store.h"

namespace communitise::app {

Result<Programme> Programmes::Get(int64_t programme_id) {
  Programme out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, programmes_store::Load(tx, programme_id));
    return Status::Ok();
  }));
  return out;
}

Result<Programme> Programmes::GetBySlug(std::string_view slug) {
  Programme out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM programmes WHERE slug = :s",
                                           {std::string(slug)}));
    if (!row) return Error::NotFound("No such programme");
    ASSIGN_OR_RETURN(out, programmes_store::Load(tx, row->Int(0)));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Programme>> Programmes::List(std::optional<int64_t> public_body_id) {
  std::vector<Programme> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    auto rows = public_body_id
                    ? tx.Query("SELECT id FROM programmes WHERE public_body_id = :b ORDER BY name",
                               {*public_body_id})
                    : tx.Query("SELECT id FROM programmes ORDER BY name");
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, r.Int(0)));
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ProgrammeScope>> Programmes::ScopeHistory(int64_t programme_id) {
  std::vector<ProgrammeScope> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto exists, tx.QueryOne("SELECT id FROM programmes WHERE id = :p",
                                              {programme_id}));
    if (!exists) return Error::NotFound("No such programme");
    ASSIGN_OR_RETURN(out, programmes_store::Scopes(tx, programme_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Service>> Programmes::ListServices(int64_t public_body_id) {
  std::vector<Service> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, public_body_id, name, nature FROM services "
                                         "WHERE public_body_id = :b ORDER BY name",
                                         {public_body_id}));
    for (const auto& r : rows) {
      out.push_back(Service{r.Int(0), r.Int(1), r.Text(2),
                            ParseServiceNature(r.Text(3)).value_or(ServiceNature::kDiscretionary)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
