#include "communitise/storage/audit.h"

#include <gtest/gtest.h>

#include <thread>

#include "communitise/storage/testing/test_database.h"

namespace communitise::storage {
namespace {

using testing::TestDatabase;

AuditEntry Entry(int i, std::optional<int64_t> programme = std::nullopt) {
  return AuditEntry{1'700'000'000 + i, "user:" + std::to_string(i % 3 + 1), programme,
                    "thing.change", "thing:" + std::to_string(i),
                    "{\"i\":" + std::to_string(i) + "}"};
}

class AuditTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { COMMUNITISE_FRESH_DATABASE(t_, GetParam()); }
  Database& db() { return t_->db(); }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(db().Transact([&](Tx& tx) {
        return AppendAudit(tx, Entry(i, i % 2 ? std::optional<int64_t>(7) : std::nullopt))
            .status();
      }).ok());
    }
  }
  AuditVerification Verify() {
    auto v = VerifyAuditLog(db());
    EXPECT_TRUE(v.ok()) << v.error().ToString();
    return v.ok() ? *v : AuditVerification{false, 0, -1, "call failed"};
  }
  // Tampering needs the append-only triggers out of the way first, as an attacker with
  // direct database access would do.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(db().Transact([&](Tx& tx) -> Status {
      if (tx.backend() == Backend::kSqlite) {
        RETURN_IF_ERROR(tx.Exec("DROP TRIGGER IF EXISTS audit_log_no_update"));
        RETURN_IF_ERROR(tx.Exec("DROP TRIGGER IF EXISTS audit_log_no_delete"));
      } else {
        RETURN_IF_ERROR(tx.Exec("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"));
      }
      return tx.Exec(sql).status();
    }).ok());
  }

  std::unique_ptr<TestDatabase> t_;
};

TEST_P(AuditTest, ChainVerifiesAndLinks) {
  AppendN(5);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows_checked, 5);
  ASSERT_TRUE(db().Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, ListAudit(tx, {}));
    EXPECT_EQ(all.size(), 5u);
    EXPECT_EQ(all.front().seq, 5);  // newest first
    EXPECT_EQ(all.back().prev_hash, kGenesisHash);
    EXPECT_EQ(all[0].prev_hash, all[1].hash);
    AuditQuery of_programme;
    of_programme.programme_id = 7;
    ASSIGN_OR_RETURN(auto mine, ListAudit(tx, of_programme));
    EXPECT_EQ(mine.size(), 2u);
    AuditQuery before;
    before.before_seq = 3;
    ASSIGN_OR_RETURN(auto page, ListAudit(tx, before));
    EXPECT_EQ(page.size(), 2u);
    return Status::Ok();
  }).ok());
}

// The append in steps, sent with other statements: several entries after one locked
// head chain on from each other and from a plain append before them.
TEST_P(AuditTest, EntriesAppendedInStepsJoinTheChain) {
  AppendN(2);
  ASSERT_TRUE(db().Transact([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto locked, tx.RunAll({LockAuditHead(tx.backend())}));
    ASSIGN_OR_RETURN(AuditHead head, AuditHeadFrom(locked.front()));
    EXPECT_EQ(head.seq, 2);
    ASSIGN_OR_RETURN(auto append,
                     AuditAppendStatements(tx.backend(), head, {Entry(2), Entry(3, 7), Entry(4)}));
    EXPECT_EQ(head.seq, 5);
    append.push_back({"SELECT COUNT(*) FROM audit_log", {}});
    ASSIGN_OR_RETURN(auto appended, tx.RunAll(append));
    EXPECT_EQ(appended.back().rows.at(0).Int(0), 5);
    appended.pop_back();
    return CheckAuditAppended(appended.data(), appended.size());
  }).ok());
  AppendN(1);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows_checked, 6);
  // An entry that is not a valid record is refused before anything is sent.
  AuditHead head{6, "x"};
  AuditEntry bad = Entry(9);
  bad.details_json = "[]";
  EXPECT_FALSE(AuditAppendStatements(GetParam(), head, {Entry(8), bad}).ok());
  const Outcome none;
  EXPECT_FALSE(CheckAuditAppended(&none, 1).ok());
}

TEST_P(AuditTest, EmptyLogVerifies) {
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.rows_checked, 0);
}

TEST_P(AuditTest, RolledBackChangeLeavesNoAuditRow) {
  Status s = db().Transact([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(AppendAudit(tx, Entry(1)));
    return Error::Conflict("the change failed after its audit record was written");
  });
  EXPECT_FALSE(s.ok());
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.rows_checked, 0);
  AppendN(1);
  EXPECT_TRUE(Verify().ok);
}

TEST_P(AuditTest, LogIsAppendOnly) {
  AppendN(2);
  Status s = db().Transact(
      [&](Tx& tx) { return tx.Exec("UPDATE audit_log SET actor = 'x' WHERE seq = 1").status(); });
  EXPECT_FALSE(s.ok());
  s = db().Transact([&](Tx& tx) { return tx.Exec("DELETE FROM audit_log WHERE seq = 2").status(); });
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Verify().ok);
}

TEST_P(AuditTest, DetectsEditedRow) {
  AppendN(6);
  Tamper("UPDATE audit_log SET details = '{\"i\":99}' WHERE seq = 4");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 4);
  EXPECT_NE(v.problem.find("altered"), std::string::npos) << v.problem;
}

TEST_P(AuditTest, DetectsEditedRowWithRecomputedHash) {
  AppendN(6);
  // The forger recomputes row 3's own hash, but row 4 still points at the old one.
  AuditEntry forged = Entry(2);
  forged.actor = "user:99";
  std::string prev;
  ASSERT_TRUE(db().Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT prev_hash FROM audit_log WHERE seq = 3"));
    prev = row->Text(0);
    return Status::Ok();
  }).ok());
  Tamper("UPDATE audit_log SET actor = 'user:99', hash = '" + AuditHash(3, forged, prev) +
         "' WHERE seq = 3");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 4);
}

TEST_P(AuditTest, DetectsInsertedRow) {
  AppendN(5);
  // Shift rows 4.. up by one and slip a row in at 4.
  Tamper("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4");
  Tamper("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100");
  Tamper("INSERT INTO audit_log (seq, at, actor, programme_id, action, subject, details, "
         "prev_hash, hash) SELECT 4, at, actor, programme_id, 'forged', subject, details, "
         "hash, hash FROM audit_log WHERE seq = 3");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 4);
}

TEST_P(AuditTest, DetectsRowAppendedBehindTheHeadsBack) {
  AppendN(3);
  Tamper("INSERT INTO audit_log (seq, at, actor, programme_id, action, subject, details, "
         "prev_hash, hash) SELECT 4, at, actor, programme_id, action, subject, details, "
         "hash, hash FROM audit_log WHERE seq = 3");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 4);
}

TEST_P(AuditTest, DetectsDeletedRow) {
  AppendN(6);
  Tamper("DELETE FROM audit_log WHERE seq = 3");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 3);
  EXPECT_NE(v.problem.find("missing"), std::string::npos) << v.problem;
}

TEST_P(AuditTest, DetectsDeletedLastRow) {
  AppendN(4);
  Tamper("DELETE FROM audit_log WHERE seq = 4");
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 4);
}

TEST_P(AuditTest, ConcurrentAppendsFromTwoServersStayOneChain) {
  auto other = t_->OpenAnother({.pool_size = 4});
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  constexpr int kThreads = 8, kEach = 12;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Database& target = t % 2 == 0 ? db() : **other;
    threads.emplace_back([&target, &failures, t] {
      for (int i = 0; i < kEach; ++i) {
        Status s = target.Transact([&](Tx& tx) {
          return AppendAudit(tx, Entry(t * 100 + i)).status();
        });
        if (!s.ok()) {
          ADD_FAILURE() << s.error().ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows_checked, kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return std::string(testing::BackendName(info.param));
                         });

TEST(AuditEncodingTest, FieldBoundariesCannotBeShifted) {
  AuditEntry a{1, "ab", std::nullopt, "c", "d", "{}"};
  AuditEntry b{1, "a", std::nullopt, "bc", "d", "{}"};
  EXPECT_NE(CanonicalAuditEncoding(1, a, kGenesisHash), CanonicalAuditEncoding(1, b, kGenesisHash));
  AuditEntry with_programme = a;
  with_programme.programme_id = 0;
  EXPECT_NE(AuditHash(1, a, kGenesisHash), AuditHash(1, with_programme, kGenesisHash));
  EXPECT_EQ(AuditHash(1, a, kGenesisHash).size(), 64u);
}

}  // namespace
}  // namespace communitise::storage
