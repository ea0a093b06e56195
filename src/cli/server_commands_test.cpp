// Runs the built `communitise` binary's administration commands against fresh
// databases (SQLite and PostgreSQL) — above all, that `audit verify` fails loudly and
// names the row when the audit log has been tampered with.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "communitise/storage/testing/test_database.h"

namespace communitise::cli {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string output;
};

CliRun Communitise(const std::string& args) {
  const std::string command = std::string(COMMUNITISE_BINARY) + " " + args + " 2>&1";
  CliRun r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

class ServerCommandsTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override { COMMUNITISE_FRESH_DATABASE(t_, GetParam()); }
  std::string Db() { return "--database " + Quoted(t_->url()); }
  std::unique_ptr<storage::testing::TestDatabase> t_;
};

TEST_P(ServerCommandsTest, AuditVerifyCatchesAnEditedRow) {
  CliRun m = Communitise("migrate " + Db());
  ASSERT_EQ(m.exit_code, 0) << m.output;
  CliRun u = Communitise("admin create-user " + Db() +
                      " --email ann@example.org --password 'a long password' --name Ann");
  ASSERT_EQ(u.exit_code, 0) << u.output;
  CliRun b = Communitise("admin create-body " + Db() + " --name 'Test Council'");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  CliRun g = Communitise("admin grant-role " + Db() +
                      " --email ann@example.org --body test-council --role officer");
  ASSERT_EQ(g.exit_code, 0) << g.output;
  CliRun bad_role = Communitise("admin grant-role " + Db() +
                             " --email ann@example.org --body test-council --role king");
  EXPECT_EQ(bad_role.exit_code, 1);

  CliRun ok = Communitise("audit verify " + Db());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("OK: 3 audit rows"), std::string::npos) << ok.output;

  ASSERT_TRUE(t_->db().Transact([](storage::Tx& tx) -> Status {
    if (tx.backend() == storage::Backend::kSqlite) {
      RETURN_IF_ERROR(tx.Exec("DROP TRIGGER audit_log_no_update"));
    } else {
      RETURN_IF_ERROR(tx.Exec("DROP TRIGGER audit_log_no_change ON audit_log"));
    }
    return tx.Exec("UPDATE audit_log SET actor = 'user:999' WHERE seq = 2").status();
  }).ok());
  CliRun broken = Communitise("audit verify " + Db());
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("row 2"), std::string::npos) << broken.output;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerCommandsTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const auto& info) {
                           return std::string(storage::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace communitise::cli
