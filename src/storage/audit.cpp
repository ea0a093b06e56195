#include "communitise/storage/audit.h"

#include <sodium.h>

#include <mutex>
#include <string>

#include "dialect.h"

namespace communitise::storage {
namespace {

constexpr std::string_view kLockHeadSql = "SELECT seq, hash FROM audit_head WHERE id = 1";
constexpr std::string_view kInsertSql =
    "INSERT INTO audit_log (seq, at, actor, programme_id, action, subject, details, "
    "prev_hash, hash) VALUES (:seq, :at, :actor, :programme_id, :action, :subject, "
    ":details, :prev_hash, :hash)";
constexpr std::string_view kUpdateHeadSql =
    "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1";
// PostgreSQL: both in one round trip (the count is the head's update).
constexpr std::string_view kInsertAndUpdateHeadSql =
    "WITH appended AS (INSERT INTO audit_log (seq, at, actor, programme_id, action, subject, "
    "details, prev_hash, hash) VALUES (:seq, :at, :actor, :programme_id, :action, :subject, "
    ":details, :prev_hash, :hash)) "
    "UPDATE audit_head SET seq = :head_seq, hash = :head_hash WHERE id = 1";
constexpr std::string_view kSelectColumns =
    "SELECT seq, at, actor, programme_id, action, subject, details, prev_hash, hash "
    "FROM audit_log";

void AppendField(std::string& out, char tag, std::string_view bytes) {
  out += tag;
  out += std::to_string(bytes.size());
  out += ':';
  out.append(bytes);
  out += ';';
}

AuditRecord FromRow(const Row& r) {
  AuditRecord a;
  a.seq = r.Int(0);
  a.at = r.Int(1);
  a.actor = r.Text(2);
  a.programme_id = r.OptInt(3);
  a.action = r.Text(4);
  a.subject = r.Text(5);
  a.details_json = r.Text(6);
  a.prev_hash = r.Text(7);
  a.hash = r.Text(8);
  return a;
}

AuditEntry EntryOf(const AuditRecord& a) {
  return AuditEntry{a.at, a.actor, a.programme_id, a.action, a.subject, a.details_json};
}

}  // namespace

std::string CanonicalAuditEncoding(int64_t seq, const AuditEntry& e,
                                   const std::string& prev_hash) {
  std::string out = "communitise-audit-v1;";
  AppendField(out, 's', std::to_string(seq));
  AppendField(out, 't', std::to_string(e.at));
  AppendField(out, 'a', e.actor);
  if (e.programme_id) {
    AppendField(out, 'p', std::to_string(*e.programme_id));
  } else {
    AppendField(out, 'n', "");
  }
  AppendField(out, 'c', e.action);
  AppendField(out, 'j', e.subject);
  AppendField(out, 'd', e.details_json);
  AppendField(out, 'h', prev_hash);
  return out;
}

std::string AuditHash(int64_t seq, const AuditEntry& entry, const std::string& prev_hash) {
  static std::once_flag init;
  std::call_once(init, [] {
    // sodium_init() is idempotent; the SHA-256 below needs no global state, but
    // libsodium asks to be initialised before first use.
    [[maybe_unused]] const int rc = sodium_init();
  });
  const std::string bytes = CanonicalAuditEncoding(seq, entry, prev_hash);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

Statement LockAuditHead(Backend backend) {
  // On PostgreSQL the row lock makes concurrent appenders wait here, then read the head
  // the previous one left; SQLite's BEGIN IMMEDIATE already holds the write lock. The
  // texts are kept for good: a Statement only views its text.
  static const std::string kSqlite =
      std::string(kLockHeadSql) + std::string(dialect::ForUpdate(Backend::kSqlite));
  static const std::string kPostgres =
      std::string(kLockHeadSql) + std::string(dialect::ForUpdate(Backend::kPostgres));
  return {backend == Backend::kPostgres ? kPostgres : kSqlite, {}};
}

Result<AuditHead> AuditHeadFrom(const Outcome& locked) {
  if (locked.rows.size() != 1) return Error::Internal("audit_head row is missing");
  return AuditHead{locked.rows.front().Int(0), locked.rows.front().Text(1)};
}

Result<std::vector<Statement>> AuditAppendStatements(Backend backend, AuditHead& head,
                                                     const std::vector<AuditEntry>& entries) {
  std::vector<Statement> out;
  for (const AuditEntry& entry : entries) {
    if (entry.action.empty() || entry.actor.empty()) {
      return Error::Internal("audit entry needs an action and an actor");
    }
    if (entry.details_json.empty() || entry.details_json.front() != '{') {
      return Error::Internal("audit details must be a JSON object");
    }
    const int64_t seq = head.seq + 1;
    std::string hash = AuditHash(seq, entry, head.hash);
    Params record = {seq,          entry.at,      entry.actor,        Opt(entry.programme_id),
                     entry.action, entry.subject, entry.details_json, head.hash,
                     hash};
    if (backend == Backend::kPostgres) {
      // The record and the head in one statement (its count is the head's update).
      record.insert(record.end(), {seq, hash});
      out.push_back({kInsertAndUpdateHeadSql, std::move(record)});
    } else {
      out.push_back({kInsertSql, std::move(record)});
      out.push_back({kUpdateHeadSql, {seq, hash}});
    }
    head = AuditHead{seq, std::move(hash)};
  }
  return out;
}

Status CheckAuditAppended(const Outcome* first, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (first[i].changed != 1) return Error::Internal("audit_head was not updated");
  }
  return Status::Ok();
}

Result<int64_t> AppendAudit(Tx& tx, const AuditEntry& entry) {
  ASSIGN_OR_RETURN(std::vector<Outcome> locked, tx.RunAll({LockAuditHead(tx.backend())}));
  ASSIGN_OR_RETURN(AuditHead head, AuditHeadFrom(locked.front()));
  ASSIGN_OR_RETURN(std::vector<Statement> append,
                   AuditAppendStatements(tx.backend(), head, {entry}));
  ASSIGN_OR_RETURN(std::vector<Outcome> appended, tx.RunAll(append));
  RETURN_IF_ERROR(CheckAuditAppended(appended.data(), appended.size()));
  return head.seq;
}

Result<std::vector<AuditRecord>> ListAudit(Tx& tx, const AuditQuery& query) {
  std::string sql(kSelectColumns);
  Params params;
  std::string where;
  if (query.programme_id) {
    where += " programme_id = :p";
    params.emplace_back(*query.programme_id);
  }
  if (query.before_seq) {
    if (!where.empty()) where += " AND";
    where += " seq < :b";
    params.emplace_back(*query.before_seq);
  }
  if (!where.empty()) sql += " WHERE" + where;
  sql += " ORDER BY seq DESC LIMIT :l";
  params.emplace_back(query.limit);
  ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<AuditVerification> VerifyAuditLog(Database& db) {
  AuditVerification v;
  RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    v = AuditVerification{};
    ASSIGN_OR_RETURN(std::optional<Row> head, tx.QueryOne(kLockHeadSql));
    if (!head) {
      v.ok = false;
      v.problem = "the audit head row is missing";
      return Status::Ok();
    }
    // Walk in pages so a long log does not sit in memory at once.
    constexpr int64_t kPage = 5000;
    int64_t expected_seq = 1;
    std::string prev_hash = kGenesisHash;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<Row> rows,
                       tx.Query(std::string(kSelectColumns) +
                                    " WHERE seq >= :from ORDER BY seq LIMIT :n",
                                {expected_seq, kPage}));
      for (const Row& r : rows) {
        const AuditRecord a = FromRow(r);
        ++v.rows_checked;
        if (a.seq != expected_seq) {
          v.ok = false;
          v.broken_seq = expected_seq;
          v.problem = "row " + std::to_string(expected_seq) +
                      " is missing (the next row is " + std::to_string(a.seq) + ")";
          return Status::Ok();
        }
        if (a.prev_hash != prev_hash) {
          v.ok = false;
          v.broken_seq = a.seq;
          v.problem = "row " + std::to_string(a.seq) +
                      " does not follow on from the row before it (prev_hash differs)";
          return Status::Ok();
        }
        if (AuditHash(a.seq, EntryOf(a), a.prev_hash) != a.hash) {
          v.ok = false;
          v.broken_seq = a.seq;
          v.problem = "row " + std::to_string(a.seq) +
                      " has been altered (its contents do not match its hash)";
          return Status::Ok();
        }
        prev_hash = a.hash;
        ++expected_seq;
      }
      if (static_cast<int64_t>(rows.size()) < kPage) break;
    }
    // Rows before seq 1 would be skipped above; count them separately.
    ASSIGN_OR_RETURN(std::optional<Row> below,
                     tx.QueryOne("SELECT MIN(seq) FROM audit_log WHERE seq < 1"));
    if (below && !below->IsNull(0)) {
      v.ok = false;
      v.broken_seq = below->Int(0);
      v.problem = "row " + std::to_string(v.broken_seq) + " was inserted before the first row";
      return Status::Ok();
    }
    const int64_t head_seq = head->Int(0);
    const int64_t last_seq = expected_seq - 1;
    if (head_seq > last_seq) {
      v.ok = false;
      v.broken_seq = last_seq + 1;
      v.problem = "row " + std::to_string(last_seq + 1) + " is missing (the log should reach " +
                  std::to_string(head_seq) + ")";
    } else if (head_seq < last_seq) {
      v.ok = false;
      v.broken_seq = head_seq + 1;
      v.problem = "row " + std::to_string(head_seq + 1) +
                  " was added outside the audit log's own append";
    } else if (head->Text(1) != prev_hash) {
      v.ok = false;
      v.broken_seq = last_seq;
      v.problem = "row " + std::to_string(last_seq) + " does not match the recorded head hash";
    }
    return Status::Ok();
  }));
  return v;
}

}  // namespace communitise::storage
