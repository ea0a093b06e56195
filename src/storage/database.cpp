// Database and Tx: the database adapter, on each database's own client library (SQLite's
// C API and libpq), where each connection keeps its statements prepared. Every
// exception is caught here and turned into an Error; nothing escapes to callers.
#include "communitise/storage/database.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "dialect.h"
#include "migrations.h"

namespace communitise::storage {

// Values kept per connection by their SQL text; the least recently used is dropped
// (handed to `release`) when kCapacity are kept. Texts are looked up without a copy.
template <class T>
class KeptByText {
 public:
  static constexpr size_t kCapacity = 256;

  T* Find(std::string_view sql) {
    auto found = entries_.find(sql);
    if (found == entries_.end()) return nullptr;
    found->second.last_used = ++clock_;
    return &found->second.value;
  }
  template <class Release>
  T& Add(std::string_view sql, T value, Release release) {
    if (entries_.size() >= kCapacity) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](auto& x, auto& y) {
        return x.second.last_used < y.second.last_used;
      });
      release(oldest->second.value);
      entries_.erase(oldest);
    }
    return entries_.emplace(std::string(sql), Entry{std::move(value), ++clock_}).first->second.value;
  }
  template <class Release>
  void Erase(std::string_view sql, Release release) {
    auto found = entries_.find(sql);
    if (found == entries_.end()) return;
    release(found->second.value);
    entries_.erase(found);
  }
  template <class Release>
  void Clear(Release release) {
    for (auto& entry : entries_) release(entry.second.value);
    entries_.clear();
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Entry {
    T value;
    uint64_t last_used;
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  uint64_t clock_ = 0;
};

// SQLite statements prepared on one connection, by their SQL text, so a statement run
// again (a page's queries, the ballot writer's per-row statements) is not parsed again.
// Each is reset after use, so none holds a read transaction open. The least recently
// used is finalized when the cache is full.
class StatementCache {
 public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache() { Clear(); }

  // The statement for `sql`, prepared now if it is not cached; nullptr with the
  // connection's error code set if SQLite cannot prepare it.
  sqlite3_stmt* Get(sqlite3* db, std::string_view sql) {
    if (sqlite3_stmt** kept = kept_.Find(sql)) return *kept;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    return kept_.Add(sql, stmt, Finalize);
  }

  void Clear() { kept_.Clear(Finalize); }

 private:
  static void Finalize(sqlite3_stmt* stmt) { sqlite3_finalize(stmt); }
  KeptByText<sqlite3_stmt*> kept_;
};

// PostgreSQL statements prepared on one connection (named server-side statements), by
// their SQL text, so a statement run again is not parsed again. A text is prepared the
// second time it is run: preparing costs a round trip, which a statement run once (one
// built for a particular list of values) would not pay back. The least recently used is
// deallocated when the cache is full. Prepared statements outlive transactions,
// committed or not, and die with the connection.
class PgStatementCache {
 public:
  static constexpr size_t kSeenCapacity = 4096;

  struct Entry {
    std::string name;
    size_t parameters = 0;
  };

  // The prepared statement for `sql`, prepared now if it was run before; nullptr the
  // first time, with `text` and `parameters` set for running it unprepared. Throws
  // PgError.
  const Entry* Get(PGconn* pg, std::string_view sql, std::string& text, size_t& parameters);
  // Drops `sql`'s statement (the server would not run it again after a schema change).
  void Forget(PGconn* pg, std::string_view sql) { kept_.Erase(sql, Deallocator{pg}); }

 private:
  // Best effort: in a failed transaction the server refuses, and the statement then
  // stays until the connection closes (names are never reused).
  struct Deallocator {
    PGconn* pg;
    void operator()(const Entry& entry) const {
      PQclear(PQexec(pg, ("DEALLOCATE " + entry.name).c_str()));
    }
  };

  KeptByText<Entry> kept_;
  std::unordered_set<std::string> seen_;  // run once, not prepared
  uint64_t next_name_ = 0;
};

struct Connection {
  bool broken = false;  // the server went away: reopen before next use
  // SQLite: the connection's handle and its statements.
  sqlite3* lite = nullptr;
  StatementCache statements;
  // PostgreSQL: the connection's handle and its statements.
  PGconn* pg = nullptr;
  PgStatementCache pg_statements;
  // PostgreSQL: a transaction's BEGIN and settings, not sent yet: they go with its first
  // statement.
  std::vector<std::string> pg_begin;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    statements.Clear();  // finalized before their handle closes
    if (lite) sqlite3_close_v2(lite);
    if (pg) PQfinish(pg);
  }
};

// ---------------------------------------------------------------------------- Row

bool Row::IsNull(size_t i) const { return values_.at(i).is_null(); }

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  switch (v.kind()) {
    case Value::Kind::kInt: return v.int_value();
    case Value::Kind::kDouble: return static_cast<int64_t>(v.double_value());
    case Value::Kind::kText:
      try {
        return std::stoll(v.text());
      } catch (const std::exception&) {
        return 0;
      }
    case Value::Kind::kNull: break;
  }
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  switch (v.kind()) {
    case Value::Kind::kInt: return static_cast<double>(v.int_value());
    case Value::Kind::kDouble: return v.double_value();
    case Value::Kind::kText:
      try {
        return std::stod(v.text());
      } catch (const std::exception&) {
        return 0;
      }
    case Value::Kind::kNull: break;
  }
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  switch (v.kind()) {
    case Value::Kind::kInt: return std::to_string(v.int_value());
    case Value::Kind::kDouble: return std::to_string(v.double_value());
    case Value::Kind::kText: return v.text();
    case Value::Kind::kNull: break;
  }
  return {};
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

namespace {
// A double as PostgreSQL reads it back exactly (17 significant digits).
std::string DoubleText(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}
}  // namespace

Value PostgresArray(const std::vector<Value>& values) {
  std::string out = "{";
  for (const Value& v : values) {
    if (out.size() > 1) out += ',';
    switch (v.kind()) {
      case Value::Kind::kNull: out += "NULL"; break;
      case Value::Kind::kInt: out += std::to_string(v.int_value()); break;
      case Value::Kind::kDouble: out += DoubleText(v.double_value()); break;
      case Value::Kind::kText:
        out += '"';
        for (char c : v.text()) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += '"';
        break;
    }
  }
  out += '}';
  return Value(std::move(out));
}

// ---------------------------------------------------------------------------- Tx

namespace {

std::string Shorten(std::string_view sql) {
  std::string s(sql.substr(0, 300));
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

enum class Failure { kTransient, kConstraint, kConnection, kOther };

// A failure reported by SQLite.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(sqlite3* db, int code)
      : std::runtime_error(sqlite3_errmsg(db)), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// A failure reported by PostgreSQL through libpq.
class PgError : public std::runtime_error {
 public:
  PgError(PGconn* pg, const PGresult* result)
      : std::runtime_error(Message(pg, result)),
        sqlstate_(result && PQresultErrorField(result, PG_DIAG_SQLSTATE)
                      ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                      : ""),
        connection_lost_(PQstatus(pg) == CONNECTION_BAD) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return connection_lost_; }
  // A kept statement the server will not run again because a schema change altered its
  // result's columns (it is then dropped from the cache, and the transaction can run
  // again).
  bool stale_plan() const {
    return sqlstate_ == "0A000" &&
           std::string_view(what()).find("cached plan") != std::string_view::npos;
  }

 private:
  static std::string Message(PGconn* pg, const PGresult* result) {
    std::string m = result ? PQresultErrorMessage(result) : "";
    if (m.empty()) m = PQerrorMessage(pg);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m.empty() ? "PostgreSQL failed without a message" : m;
  }
  std::string sqlstate_;
  bool connection_lost_;
};

// Owns a libpq result.
struct PgResult {
  PGresult* result;
  ~PgResult() { PQclear(result); }
};

}  // namespace

const PgStatementCache::Entry* PgStatementCache::Get(PGconn* pg, std::string_view sql,
                                                     std::string& text, size_t& parameters) {
  if (const Entry* kept = kept_.Find(sql)) return kept;
  text = dialect::PostgresParameters(sql, parameters);
  if (seen_.size() >= kSeenCapacity) seen_.clear();
  if (seen_.emplace(sql).second) return nullptr;
  seen_.erase(std::string(sql));
  Entry entry{"communitise_" + std::to_string(++next_name_), parameters};
  PgResult prepared{PQprepare(pg, entry.name.c_str(), text.c_str(), 0, nullptr)};
  if (PQresultStatus(prepared.result) != PGRES_COMMAND_OK) throw PgError(pg, prepared.result);
  return &kept_.Add(sql, std::move(entry), Deallocator{pg});
}

namespace {

Failure Classify(const std::exception& e) {
  if (auto* pg = dynamic_cast<const PgError*>(&e)) {
    const std::string& state = pg->sqlstate();
    if (pg->connection_lost()) return Failure::kConnection;
    if (state == "40001" || state == "40P01" || pg->stale_plan()) return Failure::kTransient;
    if (state.rfind("23", 0) == 0) return Failure::kConstraint;
    if (state.rfind("08", 0) == 0 || state == "57P01") return Failure::kConnection;
    return Failure::kOther;
  }
  if (auto* lite = dynamic_cast<const SqliteError*>(&e)) {
    const int primary = lite->code() & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Failure::kTransient;
    if (primary == SQLITE_CONSTRAINT) return Failure::kConstraint;
    return Failure::kOther;
  }
  return Failure::kOther;
}

// Resets a cached statement when it goes out of scope, whatever happened.
struct StatementReset {
  sqlite3_stmt* stmt;
  ~StatementReset() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

// Runs `sql` on SQLite through the connection's statement cache; adds each result row
// to `rows` and sets `changed` to the rows it inserted, updated or deleted, when given.
// Parameters bind by position. Throws SqliteError.
void RunSqlite(Connection& conn, std::string_view sql, const Params& params,
               std::vector<Row>* rows, int64_t* changed = nullptr) {
  sqlite3* db = conn.lite;
  sqlite3_stmt* stmt = conn.statements.Get(db, sql);
  if (!stmt) throw SqliteError(db, sqlite3_extended_errcode(db));
  StatementReset reset{stmt};
  if (static_cast<size_t>(sqlite3_bind_parameter_count(stmt)) != params.size()) {
    throw std::runtime_error("the statement has " +
                             std::to_string(sqlite3_bind_parameter_count(stmt)) +
                             " parameters, given " + std::to_string(params.size()));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const int at = static_cast<int>(i) + 1;
    const Value& v = params[i];
    int rc = SQLITE_OK;
    switch (v.kind()) {
      case Value::Kind::kInt: rc = sqlite3_bind_int64(stmt, at, v.int_value()); break;
      case Value::Kind::kDouble: rc = sqlite3_bind_double(stmt, at, v.double_value()); break;
      case Value::Kind::kText:
        rc = sqlite3_bind_text64(stmt, at, v.text().data(), v.text().size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
        break;
      case Value::Kind::kNull: rc = sqlite3_bind_null(stmt, at); break;
    }
    if (rc != SQLITE_OK) throw SqliteError(db, rc);
  }
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
      if (changed) *changed = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db);
      return;
    }
    if (rc != SQLITE_ROW) throw SqliteError(db, sqlite3_extended_errcode(db));
    if (!rows) continue;
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER: values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c))); break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
        case SQLITE_NULL: values.emplace_back(); break;
        default: {  // TEXT or BLOB
          const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, c));
          const int bytes = sqlite3_column_bytes(stmt, c);
          values.emplace_back(std::string(text ? text : "", static_cast<size_t>(bytes)));
        }
      }
    }
    rows->emplace_back(std::move(values));
  }
}

// PostgreSQL's type numbers (pg_type.oid) of the columns read as numbers.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// One statement for PostgreSQL: its text or kept statement, and its values as text.
struct PgCall {
  std::string_view sql;
  const PgStatementCache::Entry* statement = nullptr;  // kept on the connection, or
  std::string text;                                    // the text to run unprepared
  std::vector<std::string> numbers;                    // the numbers' text
  std::vector<const char*> values;                     // what libpq sends

  int count() const { return static_cast<int>(values.size()); }
};

// Makes the call for `sql` with `params`, preparing it on the connection when it was run
// there before (PgStatementCache): values are sent as text apart from the SQL, and
// typed by the server as if written in their place. `params` must outlive the call.
// Throws PgError, or std::runtime_error for a wrong number of values.
PgCall MakePgCall(Connection& conn, std::string_view sql, const Params& params) {
  PgCall call;
  call.sql = sql;
  size_t parameters = 0;
  call.statement = conn.pg_statements.Get(conn.pg, sql, call.text, parameters);
  if (call.statement) parameters = call.statement->parameters;
  if (parameters != params.size()) {
    throw std::runtime_error("the statement has " + std::to_string(parameters) +
                             " parameters, given " + std::to_string(params.size()));
  }
  call.numbers.resize(params.size());
  call.values.assign(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    switch (v.kind()) {
      case Value::Kind::kInt: call.numbers[i] = std::to_string(v.int_value()); break;
      case Value::Kind::kDouble: call.numbers[i] = DoubleText(v.double_value()); break;
      case Value::Kind::kText: call.values[i] = v.text().c_str(); continue;
      case Value::Kind::kNull: continue;
    }
    call.values[i] = call.numbers[i].c_str();
  }
  return call;
}

// Reads a successful result into `out`: integers as integers, booleans as 0 or 1,
// floating and numeric columns as doubles, everything else as text.
void ReadPgResult(const PGresult* result, Outcome& out) {
  // The count of a SELECT is the rows it read.
  auto* r = const_cast<PGresult*>(result);  // libpq's accessors are not const
  const char* count = PQcmdTuples(r);
  const bool read = std::string_view(PQcmdStatus(r)).rfind("SELECT", 0) == 0;
  out.changed = !read && count && *count ? std::strtoll(count, nullptr, 10) : 0;
  if (PQresultStatus(result) != PGRES_TUPLES_OK) return;
  const int n_rows = PQntuples(result);
  const int n_columns = PQnfields(result);
  out.rows.reserve(out.rows.size() + static_cast<size_t>(n_rows));
  for (int r = 0; r < n_rows; ++r) {
    std::vector<Value> row;
    row.reserve(static_cast<size_t>(n_columns));
    for (int c = 0; c < n_columns; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back();
        continue;
      }
      const char* text = PQgetvalue(result, r, c);
      switch (PQftype(result, c)) {
        case kBoolOid: row.emplace_back(int64_t{text[0] == 't'}); break;
        case kInt8Oid:
        case kInt2Oid:
        case kInt4Oid:
        case kOidOid: row.emplace_back(static_cast<int64_t>(std::strtoll(text, nullptr, 10))); break;
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: row.emplace_back(std::strtod(text, nullptr)); break;
        default:
          row.emplace_back(std::string(text, static_cast<size_t>(PQgetlength(result, r, c))));
      }
    }
    out.rows.emplace_back(std::move(row));
  }
}

bool PgSucceeded(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// A statement and its values, for RunPostgres.
struct PgStatement {
  std::string_view sql;
  const Params* params;
};
// Runs `statements` on PostgreSQL and fills `outcomes`, one each. One statement with no
// BEGIN waiting runs on its own; otherwise the transaction's BEGIN (when not sent yet)
// and the statements go in one pipeline, answered in one round trip. After a failure the
// server skips the rest of the pipeline. Throws PgError (the first failure), or
// std::runtime_error for a wrong number of values.
void RunPostgres(Connection& conn, const std::vector<PgStatement>& statements,
                 std::vector<Outcome>& outcomes) {
  PGconn* pg = conn.pg;
  std::vector<PgCall> calls;
  calls.reserve(statements.size());
  // Every statement is looked up (and prepared when due) before the pipeline starts:
  // preparing is a call of its own. (Those looked up are the most recently used, so
  // preparing one never drops another's from the cache.)
  for (const PgStatement& st : statements) calls.push_back(MakePgCall(conn, st.sql, *st.params));
  outcomes.assign(statements.size(), Outcome{});
  if (calls.empty()) return;
  auto send = [pg](const PgCall& call) {
    return call.statement ? PQsendQueryPrepared(pg, call.statement->name.c_str(), call.count(),
                                                call.values.data(), nullptr, nullptr, 0)
                          : PQsendQueryParams(pg, call.text.c_str(), call.count(), nullptr,
                                              call.values.data(), nullptr, nullptr, 0);
  };
  if (calls.size() == 1 && conn.pg_begin.empty()) {
    if (send(calls.front()) != 1) throw PgError(pg, nullptr);
    PgResult result{PQgetResult(pg)};
    while (PGresult* rest = PQgetResult(pg)) PQclear(rest);
    if (!PgSucceeded(result.result)) {
      PgError error(pg, result.result);
      if (error.stale_plan()) conn.pg_statements.Forget(pg, calls.front().sql);
      throw error;
    }
    ReadPgResult(result.result, outcomes.front());
    return;
  }

  // A failure of the protocol itself leaves the connection in an unknown state.
  auto broken = [&conn, pg] {
    conn.broken = true;
    return PgError(pg, nullptr);
  };
  if (PQenterPipelineMode(pg) != 1) throw broken();
  const std::vector<std::string> begin = std::move(conn.pg_begin);
  conn.pg_begin.clear();  // sent now, whatever happens next
  for (const std::string& sql : begin) {
    if (PQsendQueryParams(pg, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      throw broken();
    }
  }
  for (const PgCall& call : calls) {
    if (send(call) != 1) throw broken();
  }
  if (PQpipelineSync(pg) != 1) throw broken();
  // Each statement's result comes then a null; the pipeline's end last.
  std::optional<PgError> failed;
  std::optional<std::string_view> stale;  // the failed statement's, when its plan was stale
  for (size_t at = 0; at < begin.size() + calls.size(); ++at) {
    PgResult result{PQgetResult(pg)};
    if (!result.result) throw broken();
    if (PgSucceeded(result.result)) {
      if (at >= begin.size()) ReadPgResult(result.result, outcomes[at - begin.size()]);
    } else if (PQresultStatus(result.result) != PGRES_PIPELINE_ABORTED && !failed) {
      failed.emplace(pg, result.result);
      if (failed->stale_plan() && at >= begin.size()) stale = calls[at - begin.size()].sql;
    }
    while (PGresult* rest = PQgetResult(pg)) PQclear(rest);
  }
  PgResult end{PQgetResult(pg)};
  if (PQresultStatus(end.result) != PGRES_PIPELINE_SYNC) throw broken();
  if (PQexitPipelineMode(pg) != 1) throw broken();
  if (stale) conn.pg_statements.Forget(pg, *stale);
  if (failed) throw *failed;
}

// BEGIN, COMMIT, ROLLBACK or a setting. Throws SqliteError or PgError.
void Control(Connection& conn, std::string_view sql) {
  if (conn.lite) return RunSqlite(conn, sql, {}, nullptr);
  PgResult result{PQexec(conn.pg, std::string(sql).c_str())};
  if (PQresultStatus(result.result) != PGRES_COMMAND_OK) throw PgError(conn.pg, result.result);
}

// COMMIT or ROLLBACK: nothing when the transaction's BEGIN was never sent (the
// callback ran no statement on PostgreSQL). Throws SqliteError or PgError.
void Finish(Connection& conn, std::string_view sql) {
  if (!conn.pg_begin.empty()) {
    conn.pg_begin.clear();
    return;
  }
  Control(conn, sql);
}

}  // namespace

Error Tx::Fail(std::string_view sql, const std::exception& e) {
  std::string internal = std::string(e.what()) + " in: " + Shorten(sql);
  switch (Classify(e)) {
    case Failure::kTransient:
      retryable_ = true;
      return Error::Unavailable("The service is busy; please try again", std::move(internal));
    case Failure::kConstraint:
      return Error{ErrorCode::kConflict, "That conflicts with something already recorded",
                   std::move(internal), {}};
    case Failure::kConnection:
      conn_.broken = true;
      return Error::Unavailable("The database is not available", std::move(internal));
    case Failure::kOther:
      break;
  }
  return Error::Internal(std::move(internal));
}

Result<int64_t> Tx::Exec(std::string_view sql, const Params& params) {
  try {
    if (conn_.lite) {
      int64_t changed = 0;
      RunSqlite(conn_, sql, params, nullptr, &changed);
      return changed;
    }
    std::vector<Outcome> outcomes;
    RunPostgres(conn_, {PgStatement{sql, &params}}, outcomes);
    return outcomes.front().changed;
  } catch (const std::exception& e) {
    return Fail(sql, e);
  }
}

Result<std::vector<Row>> Tx::Query(std::string_view sql, const Params& params) {
  try {
    if (conn_.lite) {
      std::vector<Row> rows;
      RunSqlite(conn_, sql, params, &rows);
      return rows;
    }
    std::vector<Outcome> outcomes;
    RunPostgres(conn_, {PgStatement{sql, &params}}, outcomes);
    return std::move(outcomes.front().rows);
  } catch (const std::exception& e) {
    return Fail(sql, e);
  }
}

Result<std::vector<Outcome>> Tx::RunAll(const std::vector<Statement>& statements) {
  std::vector<Outcome> outcomes;
  try {
    if (conn_.lite) {
      outcomes.resize(statements.size());
      for (size_t i = 0; i < statements.size(); ++i) {
        try {
          RunSqlite(conn_, statements[i].sql, statements[i].params, &outcomes[i].rows,
                    &outcomes[i].changed);
        } catch (const std::exception& e) {
          return Fail(statements[i].sql, e);
        }
      }
      return outcomes;
    }
    std::vector<PgStatement> all;
    all.reserve(statements.size());
    for (const Statement& st : statements) all.push_back({st.sql, &st.params});
    RunPostgres(conn_, all, outcomes);
    return outcomes;
  } catch (const std::exception& e) {
    std::string sql;
    for (const Statement& st : statements) sql += std::string(st.sql) + "; ";
    return Fail(sql, e);
  }
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const Params& params) {
  ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  if (rows.size() > 1) {
    return Error::Internal("expected at most one row from: " + Shorten(sql));
  }
  return std::optional<Row>(std::move(rows.front()));
}

Result<int64_t> Tx::Insert(std::string_view sql, const Params& params) {
  ASSIGN_OR_RETURN(std::optional<Row> row, QueryOne(sql, params));
  if (!row || row->size() < 1 || row->IsNull(0)) {
    return Error::Internal("INSERT returned no id: " + Shorten(sql));
  }
  return row->Int(0);
}

// ---------------------------------------------------------------------------- Pool

struct Database::Pool {
  Backend backend;
  std::string connect_string;
  std::string wal_path;  // SQLite: the write-ahead log's file
  DatabaseOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<Connection>> idle;  // GUARDED_BY(mu)
  size_t open = 0;                                 // GUARDED_BY(mu)

  Result<std::unique_ptr<Connection>> Connect() {
    try {
      auto conn = std::make_unique<Connection>();
      if (backend == Backend::kSqlite) {
        // One thread at a time uses a connection (the pool lends it out whole).
        const int rc = sqlite3_open_v2(
            connect_string.c_str(), &conn->lite,
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) throw SqliteError(conn->lite, rc);
      } else {
        conn->pg = PQconnectdb(connect_string.c_str());
        if (PQstatus(conn->pg) != CONNECTION_OK) throw PgError(conn->pg, nullptr);
        // Notices (such as what a DROP … CASCADE also dropped) are not errors, and
        // libpq would print them on the server's standard error.
        PQsetNoticeProcessor(conn->pg, [](void*, const char*) {}, nullptr);
      }
      for (const std::string& sql : dialect::ConnectionSetup(backend, options.busy_timeout_ms)) {
        Control(*conn, sql);
      }
      return conn;
    } catch (const std::exception& e) {
      return Error::Unavailable("The database is not available",
                                std::string("cannot connect: ") + e.what());
    }
  }

  Result<std::unique_ptr<Connection>> Lease() {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !idle.empty() || open < options.pool_size; });
      if (!idle.empty()) {
        auto conn = std::move(idle.back());
        idle.pop_back();
        return conn;
      }
      ++open;
    }
    auto conn = Connect();
    if (!conn.ok()) {
      std::lock_guard lock(mu);
      --open;
      cv.notify_one();
    }
    return conn;
  }

  void GiveBack(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mu);
    if (conn->broken) {
      --open;  // dropped; a fresh one is opened on demand
    } else {
      idle.push_back(std::move(conn));
    }
    cv.notify_one();
  }
};

// ---------------------------------------------------------------------------- Database

Database::Database(Backend backend, std::string url, DatabaseOptions options)
    : backend_(backend), url_(std::move(url)), options_(options), pool_(std::make_unique<Pool>()) {
  pool_->backend = backend;
  pool_->options = options;
}

Database::~Database() {
  if (!pool_) return;
  std::lock_guard lock(pool_->mu);
  pool_->idle.clear();  // closes every idle connection
}

Result<std::unique_ptr<Database>> Database::Open(std::string_view url, DatabaseOptions options) {
  if (options.pool_size == 0) options.pool_size = 1;
  if (options.max_attempts < 1) options.max_attempts = 1;
  std::unique_ptr<Database> db;
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path(url.substr(7));
    if (path.empty()) return Error::InvalidArgument("The database URL sqlite:PATH needs a path");
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error::Unavailable("Cannot create the database folder",
                                parent.string() + ": " + ec.message());
    }
    db.reset(new Database(Backend::kSqlite, std::string(url), options));
    db->pool_->wal_path = std::filesystem::absolute(path, ec).string() + "-wal";
    db->pool_->connect_string = path;
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db.reset(new Database(Backend::kPostgres, std::string(url), options));
    db->pool_->connect_string = std::string(url);  // libpq reads the URL itself
  } else {
    return Error::InvalidArgument(
        "The database URL must start with sqlite: or postgresql://");
  }
  // Open one connection now so a bad URL or an unreachable server fails here.
  ASSIGN_OR_RETURN(auto conn, db->pool_->Lease());
  db->pool_->GiveBack(std::move(conn));
  return db;
}

Status Database::Transact(const std::function<Status(Tx&)>& fn, TransactOptions options) {
  return RunTx(fn, true, options);
}
Status Database::Read(const std::function<Status(Tx&)>& fn) { return RunTx(fn, false, {}); }

Status Database::SyncCommitted() {
  if (backend_ == Backend::kPostgres) {
    // A transaction that takes a transaction id commits with synchronous_commit on, so
    // PostgreSQL flushes its log up to that commit, which follows every commit before.
    Status flushed = RunOutsideTransaction("SELECT txid_current()");
    if (!flushed.ok()) {
      return Error::Unavailable("The database could not be flushed to disk",
                                flushed.error().internal_message);
    }
    return Status::Ok();
  }
  // The log as it is now on the file system. It is missing only if every connection
  // closed since, and SQLite then checkpointed it into the database file and flushed
  // that.
  const int fd = ::open(pool_->wal_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();
    return Error::Unavailable("The database could not be flushed to disk",
                              pool_->wal_path + ": " + std::strerror(errno));
  }
  const int rc = ::fdatasync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) {
    return Error::Unavailable("The database could not be flushed to disk",
                              pool_->wal_path + ": " + std::strerror(error));
  }
  return Status::Ok();
}

Status Database::RefreshStatistics(const std::vector<std::string>& tables) {
  std::string sql = "VACUUM (ANALYZE) ";
  for (const std::string& table : tables) {
    if (table.empty() || !std::all_of(table.begin(), table.end(), dialect::IdentifierChar)) {
      return Error::InvalidArgument("Not a table name: " + table);
    }
    if (&table != &tables.front()) sql += ", ";
    sql += table;
  }
  if (backend_ != Backend::kPostgres || tables.empty()) return Status::Ok();
  return RunOutsideTransaction(sql);  // VACUUM cannot run inside one
}

Status Database::RunOutsideTransaction(std::string_view sql) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, pool_->Lease());
  Tx tx(*conn, backend_);
  Status done = tx.Exec(sql).status();
  pool_->GiveBack(std::move(conn));
  return done;
}

Status Database::RunTx(const std::function<Status(Tx&)>& fn, bool write,
                       TransactOptions options) {
  thread_local std::mt19937 rng(std::random_device{}());
  Error last = Error::Unavailable("The service is busy; please try again");
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      // Jittered back-off so colliding writers do not collide again in lock step.
      const int cap_us = std::min(50000, 500 << std::min(attempt, 7));
      std::uniform_int_distribution<int> wait(cap_us / 4, cap_us);
      std::this_thread::sleep_for(std::chrono::microseconds(wait(rng)));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, pool_->Lease());
    Tx tx(*conn, backend_);
    Status status;
    bool begun = false;
    // Committed lazily (see TransactOptions): on SQLite by the connection's setting,
    // changed for this transaction and restored after it.
    const bool lazy_sqlite = options.sync_later && conn->lite;
    try {
      if (lazy_sqlite) Control(*conn, "PRAGMA synchronous = NORMAL");
      if (conn->pg) {
        // Sent with the transaction's first statement. The settings are for this
        // transaction only (SyncCommitted() makes a lazy commit durable).
        conn->pg_begin = {std::string(dialect::Begin(backend_, write))};
        std::string settings;
        if (options.sync_later) settings += "set_config('synchronous_commit', 'off', true)";
        if (options.by_index) {
          if (!settings.empty()) settings += ", ";
          settings += "set_config('plan_cache_mode', 'force_generic_plan', true), "
                      "set_config('enable_seqscan', 'off', true)";
        }
        if (!settings.empty()) conn->pg_begin.push_back("SELECT " + settings);
      } else {
        Control(*conn, dialect::Begin(backend_, write));
      }
      begun = true;
      status = fn(tx);
      if (status.ok()) {
        Finish(*conn, "COMMIT");
        begun = false;
      }
    } catch (const std::exception& e) {
      status = tx.Fail(begun ? "COMMIT" : dialect::Begin(backend_, write), e);
    }
    if (begun || !status.ok()) {
      try {
        Finish(*conn, "ROLLBACK");
      } catch (const std::exception&) {
        // Rolling back a transaction the server already aborted can fail; the
        // connection is then no longer trusted.
        conn->broken = true;
      }
    }
    if (lazy_sqlite) {
      try {
        Control(*conn, "PRAGMA synchronous = FULL");
      } catch (const std::exception&) {
        conn->broken = true;  // never lend out a connection that commits lazily
      }
    }
    const bool retry = !status.ok() && tx.retryable();
    pool_->GiveBack(std::move(conn));
    if (status.ok()) return status;
    if (!retry) return status;
    last = std::move(status).error();
  }
  return last;
}

// ---------------------------------------------------------------------------- Migrate

int Database::LatestSchemaVersion() {
  return AllMigrations(Backend::kSqlite).back().version;
}

Result<int> Database::SchemaVersion() {
  int version = 0;
  RETURN_IF_ERROR(Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto exists,
                     tx.QueryOne(backend_ == Backend::kSqlite
                                     ? "SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name = 'schema_migrations'"
                                     : "SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = current_schema() "
                                       "AND table_name = 'schema_migrations'"));
    if (!exists) return Status::Ok();
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MAX(version) FROM schema_migrations"));
    if (row && !row->IsNull(0)) version = static_cast<int>(row->Int(0));
    return Status::Ok();
  }));
  return version;
}

Status Database::Migrate() { return MigrateTo(LatestSchemaVersion()); }

Status Database::MigrateTo(int version) {
  RETURN_IF_ERROR(Transact([&](Tx& tx) -> Status {
    return tx
        .Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .status();
  }));
  for (const Migration& m : AllMigrations(backend_)) {
    if (m.version > version) break;
    RETURN_IF_ERROR(Transact([&](Tx& tx) -> Status {
      // Checked inside the transaction so two processes migrating at once apply each
      // migration once (the second waits on the lock, then sees the row).
      if (backend_ == Backend::kPostgres) {
        RETURN_IF_ERROR(tx.Exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE"));
      }
      ASSIGN_OR_RETURN(auto done, tx.QueryOne("SELECT version FROM schema_migrations "
                                              "WHERE version = :v",
                                              {int64_t{m.version}}));
      if (done) return Status::Ok();
      for (const std::string& sql : m.statements) RETURN_IF_ERROR(tx.Exec(sql));
      const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      return tx
          .Exec("INSERT INTO schema_migrations (version, name, applied_at) "
                "VALUES (:v, :n, :t)",
                {int64_t{m.version}, m.name, now})
          .status();
    }));
  }
  return Status::Ok();
}

}  // namespace communitise::storage
