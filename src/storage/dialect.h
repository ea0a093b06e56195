// The few places where SQLite and PostgreSQL SQL must differ, kept together so the rest
// of the code (migrations included) is one portable text. Internal to src/storage.
#ifndef COMMUNITISE_STORAGE_DIALECT_H_
#define COMMUNITISE_STORAGE_DIALECT_H_

#include <string>
#include <string_view>
#include <vector>

#include "communitise/storage/database.h"

namespace communitise::storage::dialect {

// Replaces the portable tokens used in migrations:
//   {{ID}}      an auto-generated 64-bit primary key column type
//   {{BY_KEY}}  after a CREATE TABLE: the rows are stored in their primary key's order
//               (SQLite WITHOUT ROWID: one B-tree, not a table and an index)
std::string Translate(Backend backend, std::string_view portable_sql);
// Statements run on every new connection (SQLite pragmas; the plan setting on PostgreSQL).
std::vector<std::string> ConnectionSetup(Backend backend, int busy_timeout_ms);
// BEGIN for a read-write or read-only transaction.
std::string_view Begin(Backend backend, bool write);
// Suffix that row-locks a SELECT until the end of the transaction (PostgreSQL only:
// SQLite's BEGIN IMMEDIATE already holds the database's write lock).
std::string_view ForUpdate(Backend backend);
// A character of a plain (unquoted) SQL name or parameter name: letter, digit or _.
bool IdentifierChar(char c);
// PostgreSQL's numbered parameters for the named ones the code writes: each `:name`
// outside quotes, quoted names and comments becomes the next `$n` (values bind by
// position, as on SQLite); `::` casts stay. `count` is set to the number of parameters.
std::string PostgresParameters(std::string_view sql, size_t& count);
// Statements making audit_log append-only (triggers that refuse UPDATE and DELETE).
std::vector<std::string> AuditAppendOnly(Backend backend);

}  // namespace communitise::storage::dialect

#endif  // COMMUNITISE_STORAGE_DIALECT_H_
