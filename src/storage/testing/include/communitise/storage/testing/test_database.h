// Fresh, throw-away databases for tests, on SQLite and on PostgreSQL.
//
// SQLite: a new file in a new temporary folder. PostgreSQL: a new schema in the server
// named by env var COMMUNITISE_TEST_POSTGRES_URL (scripts/with-postgres sets it), reached
// through a URL whose search_path points at the schema. Either is migrated, and removed
// when the TestDatabase is destroyed, so tests are independent.
//
// When COMMUNITISE_TEST_POSTGRES_URL is unset, PostgreSQL cases are skipped — unless
// COMMUNITISE_REQUIRE_POSTGRES=1, when they fail. Use COMMUNITISE_FRESH_DATABASE in a
// fixture's SetUp to get that behaviour.
//
// Thread safety: a TestDatabase is owned by one test; its Database is thread-safe.
#ifndef COMMUNITISE_STORAGE_TESTING_TEST_DATABASE_H_
#define COMMUNITISE_STORAGE_TESTING_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::storage::testing {

class TestDatabase {
 public:
  // Errors: kUnavailable with the reason to skip when PostgreSQL is not configured;
  // anything else is a real failure.
  static Result<std::unique_ptr<TestDatabase>> Create(Backend backend, bool migrate = true);
  ~TestDatabase();

  Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  // Opens a second, independent Database on the same data (another "process").
  Result<std::unique_ptr<Database>> OpenAnother(DatabaseOptions options = {}) const;

 private:
  TestDatabase() = default;
  Backend backend_ = Backend::kSqlite;
  std::string url_;
  std::string dir_;     // SQLite temp folder
  std::string schema_;  // PostgreSQL schema
  std::unique_ptr<Database> db_;
};

bool PostgresConfigured();
bool PostgresRequired();
const char* BackendName(Backend backend);

}  // namespace communitise::storage::testing

// In a gtest fixture SetUp (or test body): `COMMUNITISE_FRESH_DATABASE(test_db_, backend)`
// sets the unique_ptr<TestDatabase> or skips/fails the test as described above.
#define COMMUNITISE_FRESH_DATABASE(target, backend)                                        \
  do {                                                                                      \
    auto _made = ::communitise::storage::testing::TestDatabase::Create(backend);            \
    if (!_made.ok()) {                                                                      \
      if (_made.error().code == ::communitise::ErrorCode::kUnavailable &&                    \
          !::communitise::storage::testing::PostgresRequired() &&                           \
          !::communitise::storage::testing::PostgresConfigured()) {                         \
        GTEST_SKIP() << _made.error().public_message;                                       \
      }                                                                                     \
      FAIL() << _made.error().ToString();                                                   \
    }                                                                                       \
    target = std::move(_made).value();                                                      \
  } while (0)

#endif  // COMMUNITISE_STORAGE_TESTING_TEST_DATABASE_H_
