// Database: the one door to persistent state — SQLite or PostgreSQL behind one API.
//
// A Database is opened from a URL:
//   sqlite:PATH             (e.g. sqlite:var/communitise.db; the parent folder is created)
//   postgresql://USER@HOST:PORT/DBNAME[?options]   (also postgres://)
// SQLite runs in WAL mode with foreign keys on, a busy timeout and synchronous=FULL, so a
// write that Transact() reported as committed survives a crash or power loss.
//
// All SQL runs inside a transaction: Transact() for changes, Read() for queries. The
// callback gets a Tx, runs statements through it and returns a Status; an error (or an
// exception thrown by the driver, caught here) rolls the whole transaction back, so a
// use case is never half-written. On PostgreSQL, a transaction's BEGIN goes to the
// server with its first statement, in one round trip (nothing at all when the callback
// runs none). Transact() retries the whole callback when the
// database reports a transient conflict (SQLite busy/locked, PostgreSQL serialization
// failure or deadlock), so the callback must not have side effects outside the Tx
// other than filling its own output variables.
//
// SQL is portable: placeholders are `:name` (bound by position, in order of the params
// vector), no `::` casts, `RETURNING id` for inserted keys (SQLite >= 3.35). The few
// unavoidable dialect differences live in src/storage/dialect.cpp.
//
// Ownership: Database owns a pool of connections (size DatabaseOptions::pool_size);
// a Tx borrows one for the duration of the callback and must not escape it.
//
// Thread safety: Database is safe for concurrent use from many threads; a Tx is used by
// the one thread running the callback.
//
// Errors: kInvalidArgument (bad URL), kUnavailable (cannot connect; retries exhausted),
// kConflict (unique or foreign-key constraint broken; `internal_message` names it),
// kInternal (any other driver error — SQL text and driver message in internal_message).
#ifndef COMMUNITISE_STORAGE_DATABASE_H_
#define COMMUNITISE_STORAGE_DATABASE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>  // std::monostate
#include <vector>

#include "communitise/core/result.h"

namespace communitise::storage {

enum class Backend { kSqlite, kPostgres };

// A bound parameter or a column value: NULL, a 64-bit integer, a double or text.
// (A small tagged class rather than std::variant: GCC 12 reports false
// -Wmaybe-uninitialized warnings for initializer lists of variants holding strings.)
class Value {
 public:
  enum class Kind { kNull, kInt, kDouble, kText };
  Value() = default;                                   // NULL
  Value(std::monostate) {}                             // NOLINT: NULL
  Value(int64_t v) : kind_(Kind::kInt), int_(v) {}     // NOLINT: implicit on purpose
  Value(int v) : kind_(Kind::kInt), int_(v) {}         // NOLINT
  Value(long long v) : kind_(Kind::kInt), int_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(double v) : kind_(Kind::kDouble), double_(v) {}  // NOLINT
  Value(std::string v) : kind_(Kind::kText), text_(std::move(v)) {}  // NOLINT
  Value(std::string_view v) : kind_(Kind::kText), text_(v) {}        // NOLINT
  Value(const char* v) : kind_(Kind::kText), text_(v) {}             // NOLINT

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  int64_t int_value() const { return int_; }        // REQUIRES: kind() == kInt
  double double_value() const { return double_; }   // REQUIRES: kind() == kDouble
  const std::string& text() const { return text_; } // REQUIRES: kind() == kText

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;
  double double_ = 0;
  std::string text_;
};
inline Value Null() { return Value(); }
// PostgreSQL only: `values` as one array value, in PostgreSQL's text form for arrays
// (`{1,2}`, `{"a","b"}`), for a parameter written `CAST(:name AS BIGINT[])` or `TEXT[]`.
// A statement taking a list this way keeps one text whatever the list's length, so the
// server keeps its plan. Every text is quoted; NULLs stay NULL.
Value PostgresArray(const std::vector<Value>& values);
// An optional becomes NULL when empty.
inline Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Null(); }
inline Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Null(); }

// One result row, columns in SELECT order. Accessors convert between integer and text
// representations (drivers differ in what they report for expressions).
// REQUIRES: i < size().
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const;
  int64_t Int(size_t i) const;          // NULL reads as 0
  double Double(size_t i) const;        // NULL reads as 0
  std::string Text(size_t i) const;     // NULL reads as ""
  bool Bool(size_t i) const { return Int(i) != 0; }
  std::optional<int64_t> OptInt(size_t i) const;
  std::optional<std::string> OptText(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// A statement with its values, for Tx::RunAll. The text must outlive the call.
struct Statement {
  std::string_view sql;
  Params params;
};

// What one statement of Tx::RunAll gave: its rows, and how many rows it inserted,
// updated or deleted.
struct Outcome {
  std::vector<Row> rows;
  int64_t changed = 0;
};

class Database;
struct Connection;

// A transaction in progress. Only Database creates one.
class Tx {
 public:
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  Backend backend() const { return backend_; }

  // Runs a statement that returns no rows; returns the number of rows it changed.
  Result<int64_t> Exec(std::string_view sql, const Params& params = {});
  // Runs a query and returns every row.
  Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {});
  // Runs a query expected to return at most one row (extra rows are an internal error).
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
  // Runs an INSERT ... RETURNING id and returns the id.
  Result<int64_t> Insert(std::string_view sql, const Params& params = {});
  // Runs `statements` in order, as one call each would, and returns what each gave. On
  // PostgreSQL they go to the server together, one round trip for all (libpq's
  // pipeline mode), so none may need an earlier one's result other than through the
  // database. The first to fail fails the call, and those after it do not run.
  Result<std::vector<Outcome>> RunAll(const std::vector<Statement>& statements);

  // True once a statement failed with a transient conflict; Transact() then retries.
  bool retryable() const { return retryable_; }

 private:
  friend class Database;
  Tx(Connection& conn, Backend backend) : conn_(conn), backend_(backend) {}
  Error Fail(std::string_view sql, const std::exception& e);

  Connection& conn_;
  Backend backend_;
  bool retryable_ = false;
};

struct TransactOptions {
  // COMMIT returns once the transaction is in the write-ahead log, before the disk has
  // it (SQLite: synchronous=NORMAL; PostgreSQL: synchronous_commit off); the caller makes
  // it durable with SyncCommitted() before it tells anyone the change is stored, so one
  // flush can cover many transactions while the next is being written. Until then a
  // crash of this process loses nothing; a power cut (or, on PostgreSQL, a crash of the
  // database server) can.
  bool sync_later = false;
  // PostgreSQL: every statement of the transaction finds its rows through an index
  // (lists passed as arrays and joined to it), so its plan is made once for any values
  // (plan_cache_mode = force_generic_plan) and never reads a whole table
  // (enable_seqscan = off). Planning a long list again for each run costs more than
  // running it, and a plan chosen from the statistics of the moment can scan a whole
  // table: from a long list's estimate, or, kept, from a table still nearly empty when
  // it was made. SQLite plans each statement once anyway.
  bool by_index = false;
};

struct DatabaseOptions {
  // Connections kept open. Requests beyond this wait for a free connection.
  size_t pool_size = 8;
  // How long SQLite waits for a lock before reporting busy.
  int busy_timeout_ms = 5000;
  // How many times Transact() runs the callback when the database reports a conflict.
  int max_attempts = 30;
};

class Database {
 public:
  // Opens (and for SQLite creates) the database. Does not migrate.
  static Result<std::unique_ptr<Database>> Open(std::string_view url,
                                                DatabaseOptions options = {});
  // Closes every connection. REQUIRES: no Transact()/Read() in progress (a server
  // stops accepting requests and drains them before destroying its Database).
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }
  const std::string& url() const { return url_; }

  // Applies every numbered migration not yet recorded in schema_migrations, each in
  // its own transaction. Idempotent; safe to run at every start.
  Status Migrate();
  // The same, up to and including migration `version` only: a migration's tests use it
  // to put data in the schema before it.
  Status MigrateTo(int version);
  // The highest applied migration number (0 on an empty database).
  Result<int> SchemaVersion();
  // The highest migration number this binary knows.
  static int LatestSchemaVersion();

  // Runs `fn` in a read-write transaction (SQLite: BEGIN IMMEDIATE, so writers queue
  // on the busy timeout instead of deadlocking; PostgreSQL: READ COMMITTED, appends to
  // the audit log serialise on its head row). Commits when `fn` returns Ok; rolls back
  // otherwise and returns fn's error. Retried on transient conflicts (see above).
  Status Transact(const std::function<Status(Tx&)>& fn, TransactOptions options = {});
  // Returns once every transaction committed so far is on disk (SQLite: flushes the
  // write-ahead log; PostgreSQL: commits a transaction with synchronous_commit on, which
  // flushes the log up to it). Thread-safe.
  Status SyncCommitted();
  // Runs `fn` in a read-only transaction (one consistent snapshot on PostgreSQL).
  Status Read(const std::function<Status(Tx&)>& fn);
  // After a bulk load into `tables`: PostgreSQL plans from statistics that autovacuum
  // refreshes only some time later, and autovacuum would then also visit the new rows
  // while the tables are in use; both are done now (VACUUM (ANALYZE)). Nothing on
  // SQLite, which keeps no statistics unless asked. Table names are plain identifiers.
  Status RefreshStatistics(const std::vector<std::string>& tables);

 private:
  Database(Backend backend, std::string url, DatabaseOptions options);
  Status RunTx(const std::function<Status(Tx&)>& fn, bool write, TransactOptions options);
  // Runs one statement on a pooled connection in autocommit, outside any transaction.
  Status RunOutsideTransaction(std::string_view sql);
  struct Pool;
  Backend backend_;
  std::string url_;
  DatabaseOptions options_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace communitise::storage

#endif  // COMMUNITISE_STORAGE_DATABASE_H_
