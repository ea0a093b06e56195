// The audit log: an append-only, hash-chained record of every state change.
//
// Every use case that changes state calls AppendAudit() on the SAME Tx as the change,
// so the change and its record commit or roll back together. Each row carries
//   seq (1, 2, 3, … with no gaps), at (UTC seconds), actor ("user:42", "system"),
//   programme_id (NULL for changes outside a programme), action ("programme.create"),
//   subject ("programme:7"), details (a JSON object, stored as its exact text),
//   prev_hash (the previous row's hash; 64 zeros for seq 1) and
//   hash = hex(SHA-256(CanonicalAuditEncoding(row))).
// The chain's head (last seq and hash) sits in a single-row table that AppendAudit
// locks (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the
// write lock), so concurrent writers append one after another and the chain stays
// linear.
//
// VerifyAuditLog() recomputes the chain and reports the first row that does not fit:
// an edited row (its hash no longer matches its contents), an inserted row (its
// prev_hash or seq does not follow on), a deleted row (a gap in seq, or the head
// pointing past the last row).
//
// Details must not carry personal data (emails, demographics): the history of a
// programme is public. Use ids and neutral descriptions.
//
// Thread safety: free functions; safe wherever the Tx / Database they take is.
#ifndef COMMUNITISE_STORAGE_AUDIT_H_
#define COMMUNITISE_STORAGE_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::storage {

// What a use case records. `details_json` must be a JSON object ("{}" when empty).
struct AuditEntry {
  int64_t at = 0;
  std::string actor;
  std::optional<int64_t> programme_id;
  std::string action;
  std::string subject;
  std::string details_json = "{}";
};

// A stored row.
struct AuditRecord {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;
  std::optional<int64_t> programme_id;
  std::string action;
  std::string subject;
  std::string details_json;
  std::string prev_hash;
  std::string hash;
};

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The exact bytes hashed for a row: every field length-prefixed, in a fixed order, so
// no two different rows share an encoding.
std::string CanonicalAuditEncoding(int64_t seq, const AuditEntry& entry,
                                   const std::string& prev_hash);
// Lower-case hex SHA-256 of CanonicalAuditEncoding(...).
std::string AuditHash(int64_t seq, const AuditEntry& entry, const std::string& prev_hash);

// Appends `entry` and returns its seq. REQUIRES: tx is a Transact() transaction.
Result<int64_t> AppendAudit(Tx& tx, const AuditEntry& entry);

// The same append in steps, for a transaction that sends its statements together
// (Tx::RunAll): the statement that locks the chain's head and reads it, the head it
// read, and the statements that append entries after that head. Once locked, the head
// stays locked until the transaction ends.
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};
Statement LockAuditHead(Backend backend);
Result<AuditHead> AuditHeadFrom(const Outcome& locked);
// The statements that append `entries`, in order, after `head`, which this transaction
// locked; `head` becomes the last of them. Each statement changes one row: check their
// outcomes with CheckAuditAppended.
Result<std::vector<Statement>> AuditAppendStatements(Backend backend, AuditHead& head,
                                                     const std::vector<AuditEntry>& entries);
Status CheckAuditAppended(const Outcome* first, size_t count);

// Rows of one programme (programme_id set) or all rows (unset), newest first, at most
// `limit`, only rows with seq < before_seq when given.
struct AuditQuery {
  std::optional<int64_t> programme_id;
  std::optional<int64_t> before_seq;
  int limit = 100;
};
Result<std::vector<AuditRecord>> ListAudit(Tx& tx, const AuditQuery& query);

struct AuditVerification {
  bool ok = true;
  int64_t rows_checked = 0;
  // When !ok: the seq of the first row that breaks the chain (for a deleted last row,
  // the seq the head says should exist) and what is wrong with it.
  int64_t broken_seq = 0;
  std::string problem;
};
// Walks the whole chain in seq order. The call fails only when the database does; a
// broken chain is a successful call with ok == false.
Result<AuditVerification> VerifyAuditLog(Database& db);

}  // namespace communitise::storage

#endif  // COMMUNITISE_STORAGE_AUDIT_H_
