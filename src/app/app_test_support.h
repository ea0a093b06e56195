// A fixture for use-case tests: a fresh migrated database (SQLite or PostgreSQL, see
// storage/testing/test_database.h), a ManualClock and an App, plus helpers that make
// the people, bodies and areas a test needs.
#ifndef COMMUNITISE_APP_APP_TEST_SUPPORT_H_
#define COMMUNITISE_APP_APP_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "communitise/app/app.h"
#include "communitise/storage/testing/test_database.h"

namespace communitise::app::testing {

inline constexpr int64_t kStart = 1'790'000'000;  // 2026-09-21

class AppTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override;

  storage::Database& db() { return t_->db(); }
  App& app() { return *app_; }

  // A user with these body-wide roles in `body_id` (none when body_id is 0).
  Actor MakeUser(const std::string& email, std::vector<Role> roles = {}, int64_t body_id = 0);
  // A council with three wards: E1 "North" (DH1 1AA, DH1 1AB), E2 "South" (DH2 2AA),
  // E3 "East" (DH3 3AA).
  int64_t MakeCouncil(const std::string& slug = "test-council");
  // A geographic programme over E1 and E2 with the given methods.
  Programme MakeGeographicProgramme(const Actor& officer, int64_t body_id,
                                    std::vector<std::string> methods = {"non_binding_deliberation"});
  // Number of audit rows.
  int64_t AuditCount();
  // Number of rows in a table.
  int64_t Count(const std::string& table);

  std::unique_ptr<storage::testing::TestDatabase> t_;
  ManualClock clock_{kStart};
  std::unique_ptr<App> app_;
  Actor system_ = SystemActor();
};

std::string BackendName(const ::testing::TestParamInfo<storage::Backend>& info);

}  // namespace communitise::app::testing

#define COMMUNITISE_APP_BACKENDS(Suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                             \
                           ::testing::Values(::communitise::storage::Backend::kSqlite,  \
                                             ::communitise::storage::Backend::kPostgres), \
                           ::communitise::app::testing::BackendName)

#endif  // COMMUNITISE_APP_APP_TEST_SUPPORT_H_
