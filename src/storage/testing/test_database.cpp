#include "communitise/storage/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace communitise::storage::testing {
namespace {

std::string RandomSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 1000000);
}

std::string PostgresBaseUrl() {
  const char* url = std::getenv("COMMUNITISE_TEST_POSTGRES_URL");
  return url ? url : "";
}

std::string WithSearchPath(const std::string& base, const std::string& schema) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema;
}

}  // namespace

bool PostgresConfigured() { return !PostgresBaseUrl().empty(); }

bool PostgresRequired() {
  const char* v = std::getenv("COMMUNITISE_REQUIRE_POSTGRES");
  return v && std::string(v) == "1";
}

const char* BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend, bool migrate) {
  std::unique_ptr<TestDatabase> t(new TestDatabase());
  t->backend_ = backend;
  if (backend == Backend::kSqlite) {
    std::error_code ec;
    const auto dir = std::filesystem::temp_directory_path(ec) / ("communitise-test-" + RandomSuffix());
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error::Internal("cannot create " + dir.string() + ": " + ec.message());
    t->dir_ = dir.string();
    t->url_ = "sqlite:" + (dir / "test.db").string();
  } else {
    const std::string base = PostgresBaseUrl();
    if (base.empty()) {
      if (PostgresRequired()) {
        return Error::Internal(
            "COMMUNITISE_REQUIRE_POSTGRES=1 but COMMUNITISE_TEST_POSTGRES_URL is not set "
            "(run under scripts/with-postgres)");
      }
      return Error::Unavailable(
          "PostgreSQL not configured: set COMMUNITISE_TEST_POSTGRES_URL "
          "(run under scripts/with-postgres) to run the PostgreSQL cases");
    }
    ASSIGN_OR_RETURN(auto admin, Database::Open(base, {.pool_size = 1}));
    const std::string schema = "t_" + RandomSuffix();
    RETURN_IF_ERROR(admin->Transact(
        [&](Tx& tx) { return tx.Exec("CREATE SCHEMA " + schema).status(); }));
    t->schema_ = schema;
    t->url_ = WithSearchPath(base, schema);
  }
  ASSIGN_OR_RETURN(t->db_, Database::Open(t->url_));
  if (migrate) RETURN_IF_ERROR(t->db_->Migrate());
  return t;
}

Result<std::unique_ptr<Database>> TestDatabase::OpenAnother(DatabaseOptions options) const {
  return Database::Open(url_, options);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!schema_.empty()) {
    auto admin = Database::Open(PostgresBaseUrl(), {.pool_size = 1});
    if (admin.ok()) {
      (void)(*admin)->Transact(
          [&](Tx& tx) { return tx.Exec("DROP SCHEMA " + schema_ + " CASCADE").status(); });
    }
  }
}

}  // namespace communitise::storage::testing
