#include "app_test_support.h"

namespace communitise::app::testing {

void AppTest::SetUp() {
  COMMUNITISE_FRESH_DATABASE(t_, GetParam());
  app_ = std::make_unique<App>(t_->db(), clock_);
}

Actor AppTest::MakeUser(const std::string& email, std::vector<Role> roles, int64_t body_id) {
  auto id = app().accounts().CreateUser(&system_, {email, "a long enough password", "Person " + email});
  EXPECT_TRUE(id.ok()) << id.error().ToString();
  for (Role r : roles) {
    Status s = app().accounts().GrantRole(&system_, {email, std::string(ToString(r)), body_id, 0});
    EXPECT_TRUE(s.ok()) << s.error().ToString();
  }
  auto actor = app().accounts().LoadActor(id.ok() ? *id : 0);
  EXPECT_TRUE(actor.ok());
  return actor.ok() ? *actor : Actor{};
}

int64_t AppTest::MakeCouncil(const std::string& slug) {
  auto body = app().public_bodies().Create(&system_, {"Test Council", slug, "council"});
  EXPECT_TRUE(body.ok()) << body.error().ToString();
  auto imported = app().public_bodies().ImportAreas(
      &system_, body->id,
      "pcds,wd24cd,wd24nm\nDH1 1AA,E1,North\nDH1 1AB,E1,North\nDH2 2AA,E2,South\nDH3 3AA,E3,East\n",
      "wards.csv");
  EXPECT_TRUE(imported.ok()) << imported.error().ToString();
  return body->id;
}

Programme AppTest::MakeGeographicProgramme(const Actor& officer, int64_t body_id,
                                           std::vector<std::string> methods) {
  CreateProgrammeForm f;
  f.public_body_id = body_id;
  f.name = "North and South Parks";
  f.summary = "Parks money decided by residents";
  f.nature = "discretionary";
  f.services = {"Parks"};
  f.network = "geographic";
  f.areas = {"E1", "E2"};
  f.methods = std::move(methods);
  auto p = app().programmes().Create(&officer, f);
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return p.ok() ? *p : Programme{};
}

int64_t AppTest::AuditCount() { return Count("audit_log"); }

int64_t AppTest::Count(const std::string& table) {
  int64_t n = -1;
  EXPECT_TRUE(db().Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
    n = row->Int(0);
    return Status::Ok();
  }).ok());
  return n;
}

std::string BackendName(const ::testing::TestParamInfo<storage::Backend>& info) {
  return storage::testing::BackendName(info.param);
}

}  // namespace communitise::app::testing
