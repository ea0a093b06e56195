// Use cases: a member casts (or changes) a secret ballot; anyone checks a receipt.
//
// Ballots go through one writer thread (BallotWriter) that takes every ballot waiting
// and writes them in ONE transaction — group commit — so the cost of a durable commit
// (an fsync on SQLite with synchronous=FULL, a WAL flush on PostgreSQL) is shared by
// many voters. Inside that transaction each round gets one audit record for the batch,
// and the statements suit the database: on SQLite, which runs in this process, small
// statements prepared once (per voter: a session, membership and stored-ballot look-up,
// then a write), so nothing long is parsed per batch; on PostgreSQL, where every
// statement is a round trip, a batch at a time — the round with its ballot paper in one
// query, every voter's session, membership and stored ballot in one more, and every
// write of the batch in one statement, each list passed as an array and joined to the
// table's index, planned once for any batch and never scanning a whole table — with
// the statements that do not need each other sent together (Tx::RunAll). Each
// voter's outcome is given only after the transaction committed (or failed), so an
// acknowledged ballot is durable; callers either wait for it (CastBallot) or are called
// back (CastBallotAsync), which lets a web server hold thousands of voters in one batch
// without a thread each.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {

// The round's fields the writer needs, from the first eight columns of `row`.
PbRound BallotRulesFromRow(int64_t round_id, const storage::Row& row) {
  PbRound r;
  r.id = round_id;
  r.programme_id = row.Int(0);
  r.phase = ParsePbPhase(row.Text(1)).value_or(PbPhase::kProposals);
  r.ballot_type = row.Text(2);
  r.approval_min = static_cast<int>(row.Int(3));
  r.approval_max = static_cast<int>(row.Int(4));
  r.points = static_cast<int>(row.Int(5));
  r.budget_pence = row.Int(6);
  r.voting_closes = row.Int(7);
  return r;
}

// The fields of a round the writer needs, without the counts LoadRound adds.
Result<PbRound> LoadBallotRules(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT programme_id, phase, ballot_type, approval_min, "
                                         "approval_max, points, budget_pence, voting_closes "
                                         "FROM pb_rounds WHERE id = :id",
                                         {round_id}));
  if (!row) return Error::NotFound("No such participatory budgeting round");
  PbRound r = BallotRulesFromRow(round_id, *row);
  ASSIGN_OR_RETURN(auto splits, tx.Query("SELECT kind, name, amount_pence FROM pb_round_splits "
                                         "WHERE round_id = :r ORDER BY kind, name",
                                         {round_id}));
  for (const auto& s : splits) r.splits.push_back({s.Text(0), s.Text(1), s.Int(2)});
  return r;
}

// PostgreSQL: the same rules, with the round's splits and its ballot paper, in one
// statement (the lists come back as JSON arrays); BallotRulesAndPaperFrom reads it.
storage::Statement BallotRulesAndPaperStatement(int64_t round_id) {
  return {"SELECT r.programme_id, r.phase, r.ballot_type, r.approval_min, r.approval_max, "
          "r.points, r.budget_pence, r.voting_closes, "
          "(SELECT json_agg(json_build_array(s.kind, s.name, s.amount_pence) "
          "ORDER BY s.kind, s.name) FROM pb_round_splits s WHERE s.round_id = r.id), "
          "(SELECT json_agg(json_build_array(p.id, p.cost_pence, p.area, p.theme)) "
          "FROM pb_projects p WHERE p.round_id = r.id AND p.status = 'accepted') "
          "FROM pb_rounds r WHERE r.id = :id",
          {round_id}};
}

Result<PbRound> BallotRulesAndPaperFrom(int64_t round_id, const storage::Outcome& read,
                                        pb_store::BallotPaper& paper) {
  if (read.rows.empty()) return Error::NotFound("No such participatory budgeting round");
  const storage::Row& row = read.rows.front();
  PbRound r = BallotRulesFromRow(round_id, row);
  auto text = [](const nlohmann::json& j) {
    return j.is_string() ? j.get<std::string>() : std::string();
  };
  const auto splits = nlohmann::json::parse(row.IsNull(8) ? "[]" : row.Text(8), nullptr, false);
  const auto projects = nlohmann::json::parse(row.IsNull(9) ? "[]" : row.Text(9), nullptr, false);
  if (!splits.is_array() || !projects.is_array()) {
    return Error::Internal("the round's splits or projects did not come back as JSON arrays");
  }
  for (const auto& s : splits) {
    r.splits.push_back({text(s.at(0)), text(s.at(1)), s.at(2).get<int64_t>()});
  }
  paper = pb_store::BallotPaper{};
  paper.parts = pb_store::Parts(r);
  for (const auto& p : projects) {
    const int64_t id = p.at(0).get<int64_t>();
    paper.costs[id] = p.at(1).get<int64_t>();
    paper.part_of[id] = pb_store::PartOf(r, paper.parts, text(p.at(2)), text(p.at(3)));
  }
  return r;
}

// SQLite: runs `sql`, whose last parameter is one of `values`, once for each of them
// (in process, a prepared statement run per value beats parsing a long IN list) and
// calls `row` on every result row. `fixed` parameters come first.
Status QueryEach(storage::Tx& tx, std::string_view sql, const storage::Params& fixed,
                 const std::vector<storage::Value>& values,
                 const std::function<void(const storage::Row&)>& row) {
  storage::Params params = fixed;
  params.emplace_back();
  for (const storage::Value& v : values) {
    params.back() = v;
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const auto& r : rows) row(r);
  }
  return Status::Ok();
}

// SQLite: the batch's writes a row at a time. `replaced` holds (id, choices, receipt
// hash) triples, `ballot_rows` (round, key, receipt hash, choices) and
// `participation_rows` (round, user, channel). The new ballots' ids go to `added`, by key.
Status WriteBallotsOneByOne(storage::Tx& tx, const std::vector<storage::Value>& replaced,
                            const std::vector<storage::Value>& ballot_rows,
                            const std::vector<storage::Value>& participation_rows,
                            std::unordered_map<std::string, int64_t>& added) {
  for (size_t at = 0; at + 3 <= replaced.size(); at += 3) {
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_ballots SET choices = :c, receipt_hash = :h WHERE id = :id",
                            {replaced[at + 1], replaced[at + 2], replaced[at]}));
  }
  for (size_t at = 0; at + 4 <= ballot_rows.size(); at += 4) {
    ASSIGN_OR_RETURN(const int64_t id,
                     tx.Insert("INSERT INTO pb_ballots (round_id, ballot_key, receipt_hash, "
                               "choices) VALUES (:r, :k, :h, :c) RETURNING id",
                               {ballot_rows[at], ballot_rows[at + 1], ballot_rows[at + 2],
                                ballot_rows[at + 3]}));
    added[ballot_rows[at + 1].text()] = id;
  }
  for (size_t at = 0; at + 3 <= participation_rows.size(); at += 3) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_participation (round_id, user_id, channel) "
                            "VALUES (:r, :u, :c) ON CONFLICT DO NOTHING",
                            {participation_rows[at], participation_rows[at + 1],
                             participation_rows[at + 2]}));
  }
  return Status::Ok();
}

// Every `width`-th value of `values` from `first` on, as one PostgreSQL array.
storage::Value Column(const std::vector<storage::Value>& values, size_t width, size_t first) {
  std::vector<storage::Value> column;
  column.reserve(values.size() / width);
  for (size_t at = first; at < values.size(); at += width) column.push_back(values[at]);
  return storage::PostgresArray(column);
}

// PostgreSQL: the same writes in one statement, as data-modifying WITH clauses over
// arrays: one text whatever the batch, so the server keeps its plan. Its rows are the
// new ballots' keys and ids.
storage::Statement BallotWritesStatement(const std::vector<storage::Value>& replaced,
                                         const std::vector<storage::Value>& ballot_rows,
                                         const std::vector<storage::Value>& participation_rows) {
  return {"WITH changed AS (UPDATE pb_ballots AS b SET choices = v.c, receipt_hash = v.h "
          "FROM unnest(CAST(:id AS BIGINT[]), CAST(:c AS TEXT[]), CAST(:h AS TEXT[])) "
          "AS v(id, c, h) WHERE b.id = v.id), "
          "added AS (INSERT INTO pb_ballots (round_id, ballot_key, receipt_hash, choices) "
          "SELECT * FROM unnest(CAST(:r AS BIGINT[]), CAST(:k AS TEXT[]), "
          "CAST(:rh AS TEXT[]), CAST(:rc AS TEXT[])) RETURNING ballot_key, id), "
          "took_part AS (INSERT INTO pb_participation (round_id, user_id, channel) "
          "SELECT * FROM unnest(CAST(:pr AS BIGINT[]), CAST(:pu AS BIGINT[]), "
          "CAST(:pc AS TEXT[])) ON CONFLICT DO NOTHING) SELECT ballot_key, id FROM added",
          {Column(replaced, 3, 0), Column(replaced, 3, 1), Column(replaced, 3, 2),
           Column(ballot_rows, 4, 0), Column(ballot_rows, 4, 1), Column(ballot_rows, 4, 2),
           Column(ballot_rows, 4, 3), Column(participation_rows, 3, 0),
           Column(participation_rows, 3, 1), Column(participation_rows, 3, 2)}};
}

// Slot: what the batch does to one voter's ballot (keyed by ballot_key).
struct Slot {
  std::optional<int64_t> stored_id;  // the ballot already in the database (or written)
  std::optional<size_t> item;        // the batch's latest ballot for this key
};

// PostgreSQL: which sessions are live, which voters are active members and which
// already have a ballot, in one statement of one constant text (lists as arrays, each
// joined to its table's index); ReadVoters reads it.
storage::Statement VotersStatement(
    int64_t now, const std::vector<storage::Value>& session_ids,
    const std::map<int64_t, std::vector<storage::Value>>& users_by_programme,
    const std::vector<storage::Value>& keys) {
  std::vector<storage::Value> programmes, users;
  for (const auto& [programme, list] : users_by_programme) {
    programmes.emplace_back(programme);
    users.insert(users.end(), list.begin(), list.end());
  }
  // Each row: what it says (1 live session, 2 member, 3 stored ballot), two numbers and
  // a key. Members are read for every (programme, user) pair of the two lists; only the
  // pairs asked about are looked up afterwards.
  return {"SELECT 1, s.id, CAST(NULL AS BIGINT), CAST(NULL AS TEXT) "
          "FROM unnest(CAST(:s AS BIGINT[])) AS a(id) "
          "JOIN sessions s ON s.id = a.id "
          "WHERE s.expires_at > :now "
          "UNION ALL SELECT 2, m.programme_id, m.user_id, NULL FROM "
          "unnest(CAST(:u AS BIGINT[])) AS u(id) JOIN memberships m ON m.user_id = u.id "
          "WHERE m.programme_id = ANY(CAST(:p AS BIGINT[])) AND m.status = 'active' "
          "UNION ALL SELECT 3, b.id, NULL, b.ballot_key FROM "
          "unnest(CAST(:k AS TEXT[])) AS k(key) JOIN pb_ballots b ON b.ballot_key = k.key",
          {storage::PostgresArray(session_ids), now, storage::PostgresArray(users),
           storage::PostgresArray(programmes), storage::PostgresArray(keys)}};
}

void ReadVoters(const storage::Outcome& read, std::set<int64_t>& live_sessions,
                std::set<std::pair<int64_t, int64_t>>& members,
                std::unordered_map<std::string, Slot>& slots) {
  for (const auto& r : read.rows) {
    switch (r.Int(0)) {
      case 1: live_sessions.insert(r.Int(1)); break;
      case 2: members.insert({r.Int(1), r.Int(2)}); break;
      case 3: slots[r.Text(3)].stored_id = r.Int(1); break;
      default: break;
    }
  }
}

// The keyed hash linking a voter to their ballot, computable only with the secret.
std::string BallotKey(const std::string& secret, int64_t round_id, int64_t user_id) {
  const std::string msg = std::to_string(round_id) + ":" + std::to_string(user_id);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(msg.data()),
                     msg.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     std::min<size_t>(secret.size(), crypto_generichash_KEYBYTES_MAX));
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

// Receipt codes. A code is 20 hex digits: the first 8 name the ballot, as its id under a
// keyed permutation of 32-bit numbers, and the other 12 are the cast's random verifier,
// whose hash pb_ballots.receipt_hash holds. A code is thus looked up by the ballot's
// primary key and checked against the ballot's latest verifier, so a changed ballot
// moves no index entry, and an earlier code no longer matches. The permutation hides
// the order of ids (a code says nothing of when its ballot was cast, nor which other
// ballots are near it) and needs the server secret to undo. Guessing a valid code is as
// hard as guessing 16 random hex digits: a random name hits one of N ballots with odds
// N / 2^32, and its verifier with odds 2^-48.
//
// Codes given before codes named their ballot are 16 random hex digits; pb_receipts
// maps their hashes to ballots, and they stay valid while their ballot is unchanged.
constexpr size_t kLocatorDigits = 8;
constexpr size_t kVerifierBytes = 6;
constexpr size_t kReceiptDigits = kLocatorDigits + 2 * kVerifierBytes;
constexpr size_t kEarlierReceiptDigits = 16;

// The permutation: a four-round Feistel network on two 16-bit halves, whose round
// function is SipHash (libsodium's crypto_shorthash) under a key derived from the
// secret. Four rounds of a pseudorandom function make a strong pseudorandom
// permutation (Luby and Rackoff).
class ReceiptLocator {
 public:
  explicit ReceiptLocator(const std::string& secret) {
    static constexpr char kContext[] = "communitise receipt locator";
    crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char*>(kContext),
                       sizeof kContext - 1, reinterpret_cast<const unsigned char*>(secret.data()),
                       std::min<size_t>(secret.size(), crypto_generichash_KEYBYTES_MAX));
  }

  uint32_t Encode(uint32_t id) const {
    uint32_t left = id >> 16, right = id & 0xffff;
    for (uint8_t round = 0; round < kRounds; ++round) {
      const uint32_t next = left ^ F(round, right);
      left = right;
      right = next;
    }
    return left << 16 | right;
  }

  uint32_t Decode(uint32_t code) const {
    uint32_t left = code >> 16, right = code & 0xffff;
    for (uint8_t round = kRounds; round-- > 0;) {
      const uint32_t previous = right ^ F(round, left);
      right = left;
      left = previous;
    }
    return left << 16 | right;
  }

 private:
  static constexpr uint8_t kRounds = 4;

  uint32_t F(uint8_t round, uint32_t half) const {
    const unsigned char in[3] = {round, static_cast<unsigned char>(half >> 8),
                                 static_cast<unsigned char>(half)};
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, in, sizeof in, key_);
    return uint32_t{out[0]} << 8 | out[1];
  }

  unsigned char key_[crypto_shorthash_KEYBYTES];
};

// The code for the ballot `ballot_id` cast with `verifier` (hex), in lower case.
std::string ReceiptCode(const ReceiptLocator& locator, int64_t ballot_id,
                        const std::string& verifier) {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint32_t name = locator.Encode(static_cast<uint32_t>(ballot_id));
  std::string code(kLocatorDigits, '0');
  for (size_t i = 0; i < kLocatorDigits; ++i) {
    code[i] = kHex[(name >> (4 * (kLocatorDigits - 1 - i))) & 0xf];
  }
  return code + verifier;
}

std::string NormaliseReceipt(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string FormatReceipt(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return out;
}

// What the writer recorded for one ballot.
struct Recorded {
  bool replaced = false;  // an earlier ballot of the voter's was replaced
  int64_t ballot_id = 0;
};

}  // namespace

struct PbRounds::Keys {
  std::string secret;      // keys each voter's ballot key
  ReceiptLocator locator;  // names ballots in receipt codes
};

class PbRounds::BallotWriter {
 public:
  struct Item {
    int64_t round_id = 0;
    int64_t user_id = 0;
    int64_t session_id = 0;  // 0: not from a session (nothing to check)
    std::string ballot_key;
    std::string receipt_hash;
    CastBallotForm form;
    // A session not yet read (CastBallotWithSessionToken): the hash of its token and
    // the CSRF token the request carried. The writer reads the session and fills
    // user_id, session_id and ballot_key.
    std::string token_hash;
    std::string csrf_token;
    const Keys* keys = nullptr;
    // The ballot recorded. The check is kOk except for a session the writer read (then
    // the result means nothing unless it is kOk).
    std::function<void(Result<Recorded>, SessionCheck)> done;
  };

  // The item for a ballot cast now in `round_id`: the hash of a new receipt verifier
  // and `answer`, to be given the receipt code once the ballot is recorded.
  static std::unique_ptr<Item> NewItem(int64_t round_id, const CastBallotForm& form,
                                       const Keys& keys, SessionBallotDone answer) {
    std::string verifier = internal::RandomHex(kVerifierBytes);
    auto item = std::make_unique<Item>();
    item->round_id = round_id;
    item->receipt_hash = internal::Sha256Hex(verifier);
    item->form = form;
    item->keys = &keys;
    item->done = [answer = std::move(answer), verifier = std::move(verifier),
                  &locator = keys.locator](Result<Recorded> r, SessionCheck check) {
      if (!r.ok()) return answer(r.error(), check);
      answer(BallotReceipt{FormatReceipt(ReceiptCode(locator, r->ballot_id, verifier)),
                           r->replaced},
             check);
    };
    return item;
  }

  BallotWriter(storage::Database& db, Clock& clock)
      : db_(db), clock_(clock), syncer_([this] { Sync(); }), thread_([this] { Run(); }) {}

  ~BallotWriter() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();  // every batch written and handed to the syncer
    {
      std::lock_guard lock(sync_mu_);
      sync_stop_ = true;
    }
    sync_cv_.notify_all();
    syncer_.join();
  }

  void Submit(std::unique_ptr<Item> item) {
    {
      std::lock_guard lock(mu_);
      if (!stop_) {
        queue_.push_back(std::move(item));
        item = nullptr;
      }
    }
    if (item) {
      item->done(Error::Unavailable("The server is stopping; try again"), SessionCheck::kOk);
      return;
    }
    cv_.notify_one();
  }

  BallotBoxStats Stats() const {
    BallotBoxStats out;
    {
      std::lock_guard lock(stats_mu_);
      out = stats_;
    }
    std::lock_guard lock(mu_);
    out.waiting = queue_.size();
    return out;
  }

 private:
  static constexpr size_t kMaxBatch = 4096;

  static BallotBoxStats NoStats() {
    const std::vector<double> seconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1,    2.5};
    BallotBoxStats stats;
    stats.transaction_seconds = Histogram(seconds);
    stats.flush_seconds = Histogram(seconds);
    stats.batch_ballots = Histogram({1, 4, 16, 64, 256, 1024, 4096});
    return stats;
  }

  void Run() {
    while (true) {
      std::vector<std::unique_ptr<Item>> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      Write(batch);
    }
  }

  // Writes the batch in one transaction. A ballot refused by the rules gets its own
  // error and does not stop the others; a database failure fails them all.
  void Write(std::vector<std::unique_ptr<Item>>& batch) {
    std::vector<Result<Recorded>> results;
    std::vector<SessionCheck> checks;
    const int64_t now = clock_.NowSeconds();
    const auto started = std::chrono::steady_clock::now();
    // SQLite: committed to the log but not yet flushed to disk; the syncer flushes it
    // and then answers the voters, so the next batch is written while this one is
    // flushed. PostgreSQL: the COMMIT returns once the server flushed it, which costs
    // less than a transaction of its own to flush it afterwards.
    const bool flush_later = db_.backend() == storage::Backend::kSqlite;
    Status s = db_.Transact([&](storage::Tx& tx) -> Status {
      // Transact may run this again after a conflict: start from nothing each time.
      results.assign(batch.size(), Result<Recorded>(Recorded{}));
      checks.assign(batch.size(), SessionCheck::kOk);
      std::vector<bool> settled(batch.size(), false);  // answered before the round's rules
      std::map<int64_t, Result<PbRound>> rounds;
      std::map<int64_t, pb_store::BallotPaper> papers;
      const bool postgres = tx.backend() == storage::Backend::kPostgres;
      // On PostgreSQL the statements go in three round trips, each sent together
      // (Tx::RunAll): the rounds and the sessions not read yet, with the BEGIN; the
      // voters, locking the audit log's head; the writes and their audit records. Then
      // the COMMIT. On SQLite, in this process, each runs on its own.
      std::vector<int64_t> round_ids;  // each round once, in order of arrival
      for (const auto& it : batch) {
        if (std::find(round_ids.begin(), round_ids.end(), it->round_id) == round_ids.end()) {
          round_ids.push_back(it->round_id);
        }
      }

      // Sessions still there (not signed out or expired, here or on another server).
      std::vector<storage::Value> session_ids;
      for (const auto& it : batch) {
        if (it->session_id != 0) session_ids.emplace_back(it->session_id);
      }
      std::set<int64_t> live_sessions;  // read below, with the members and stored ballots
      // Sessions not read yet, by their token's hash: what reading the session before
      // the ballot would have decided (no such live session, the CSRF token does not
      // match, not signed in), then the voter as any other.
      std::vector<storage::Value> token_hashes;
      for (const auto& it : batch) {
        if (!it->token_hash.empty()) token_hashes.emplace_back(it->token_hash);
      }
      struct Read {
        int64_t id = 0;
        std::optional<int64_t> user_id;
        std::string csrf_token;
      };
      std::unordered_map<std::string, Read> read;
      auto read_one = [&](const storage::Row& r) {
        read[r.Text(0)] = Read{r.Int(1), r.OptInt(2), r.Text(3)};
      };
      if (postgres) {
        std::vector<storage::Statement> first;
        for (const int64_t id : round_ids) first.push_back(BallotRulesAndPaperStatement(id));
        if (!token_hashes.empty()) {
          first.push_back({"SELECT s.token_hash, s.id, s.user_id, s.csrf_token FROM "
                           "unnest(CAST(:h AS TEXT[])) AS t(hash) JOIN sessions s ON "
                           "s.token_hash = t.hash WHERE s.expires_at > :now",
                           {storage::PostgresArray(token_hashes), now}});
        }
        ASSIGN_OR_RETURN(const auto outcomes, tx.RunAll(first));
        for (size_t i = 0; i < round_ids.size(); ++i) {
          pb_store::BallotPaper paper;
          auto round = BallotRulesAndPaperFrom(round_ids[i], outcomes[i], paper);
          if (round.ok()) papers[round_ids[i]] = std::move(paper);
          rounds.emplace(round_ids[i], std::move(round));
        }
        if (!token_hashes.empty()) {
          for (const auto& r : outcomes.back().rows) read_one(r);
        }
      } else {
        for (const int64_t id : round_ids) {
          auto round = LoadBallotRules(tx, id);
          if (round.ok()) {
            ASSIGN_OR_RETURN(papers[id], pb_store::LoadBallotPaper(tx, *round));
          }
          rounds.emplace(id, std::move(round));
        }
        RETURN_IF_ERROR(QueryEach(tx,
                                  "SELECT token_hash, id, user_id, csrf_token FROM sessions "
                                  "WHERE expires_at > :now AND token_hash = :h",
                                  {now}, token_hashes, read_one));
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        Item& it = *batch[i];
        if (it.token_hash.empty()) continue;
        auto found = read.find(it.token_hash);
        if (found == read.end()) {
          checks[i] = SessionCheck::kNoSession;
        } else if (!internal::ConstantTimeEquals(found->second.csrf_token, it.csrf_token)) {
          checks[i] = SessionCheck::kCsrfMismatch;
        } else if (!found->second.user_id) {
          results[i] = Error::Unauthenticated("Sign in to vote");
        } else if (it.form.choices.size() > 1000) {
          results[i] = Error::InvalidArgument("Too many choices", {{"choices", "Too many choices"}});
        } else {
          it.user_id = *found->second.user_id;
          it.session_id = found->second.id;
          it.ballot_key = BallotKey(it.keys->secret, it.round_id, it.user_id);
          live_sessions.insert(it.session_id);
          continue;
        }
        settled[i] = true;
        if (checks[i] != SessionCheck::kOk) results[i] = Error::Unauthenticated("No session");
      }

      // Active members, per programme.
      std::map<int64_t, std::vector<storage::Value>> users_by_programme;
      for (size_t i = 0; i < batch.size(); ++i) {
        const auto& round = rounds.at(batch[i]->round_id);
        if (round.ok() && !settled[i]) {
          users_by_programme[round->programme_id].emplace_back(batch[i]->user_id);
        }
      }
      std::set<std::pair<int64_t, int64_t>> members;  // (programme, user)

      // Ballots already stored for these voters.
      std::unordered_map<std::string, Slot> slots;
      std::vector<storage::Value> keys;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (settled[i]) continue;
        if (slots.emplace(batch[i]->ballot_key, Slot{}).second) {
          keys.emplace_back(batch[i]->ballot_key);
        }
      }

      std::optional<storage::AuditHead> head;  // PostgreSQL: locked with the voters' read
      if (postgres) {
        ASSIGN_OR_RETURN(const auto outcomes,
                         tx.RunAll({VotersStatement(now, session_ids, users_by_programme, keys),
                                    storage::LockAuditHead(tx.backend())}));
        ReadVoters(outcomes[0], live_sessions, members, slots);
        ASSIGN_OR_RETURN(head, storage::AuditHeadFrom(outcomes[1]));
      } else {
        RETURN_IF_ERROR(QueryEach(tx, "SELECT id FROM sessions WHERE expires_at > :now AND id = :s",
                                  {now}, session_ids,
                                  [&](const storage::Row& r) { live_sessions.insert(r.Int(0)); }));
        for (const auto& entry : users_by_programme) {
          const int64_t programme = entry.first;  // a plain name: lambdas capture it
          const auto& users = entry.second;
          RETURN_IF_ERROR(QueryEach(tx,
                                    "SELECT user_id FROM memberships WHERE programme_id = :pr "
                                    "AND status = 'active' AND user_id = :u",
                                    {programme}, users, [&](const storage::Row& r) {
                                      members.insert({programme, r.Int(0)});
                                    }));
        }
        RETURN_IF_ERROR(QueryEach(tx,
                                  "SELECT ballot_key, id FROM pb_ballots WHERE ballot_key = :k",
                                  {}, keys, [&](const storage::Row& r) {
                                    slots[r.Text(0)].stored_id = r.Int(1);
                                  }));
      }

      // Decide each ballot in arrival order; a voter's later ballot in the same batch
      // sees the earlier one as theirs to replace.
      std::map<int64_t, int64_t> counted;  // round → ballots recorded
      for (size_t i = 0; i < batch.size(); ++i) {
        if (settled[i]) continue;
        const Item& it = *batch[i];
        const Result<PbRound>& round = rounds.at(it.round_id);
        if (!round.ok()) {
          results[i] = round.error();
          continue;
        }
        if (round->phase != PbPhase::kVoting || now >= round->voting_closes) {
          results[i] = Error::Conflict("Voting in this round is not open");
          continue;
        }
        if (it.session_id != 0 && !live_sessions.count(it.session_id)) {
          results[i] = Error::Unauthenticated("Your session has ended; sign in again to vote");
          continue;
        }
        if (!members.count({round->programme_id, it.user_id})) {
          results[i] = Error::Forbidden("Only members of the programme can vote");
          continue;
        }
        if (Status v = pb_store::ValidateBallot(*round, papers.at(it.round_id), it.form); !v.ok()) {
          results[i] = v.error();
          continue;
        }
        Slot& slot = slots.at(it.ballot_key);
        const bool exists = slot.stored_id.has_value() || slot.item.has_value();
        if (exists && !it.form.replace) {
          results[i] = Error::Conflict(
              "You have already voted in this round. To change your vote, use "
              "\"Change your ballot\"; your earlier ballot stays counted until you do.");
          continue;
        }
        slot.item = i;
        results[i] = Recorded{exists, 0};
        ++counted[it.round_id];
      }

      // Write: a replaced ballot is changed in place (its row, key and id stay, and no
      // indexed column changes); new voters' ballots are inserted and their
      // participation recorded (never linked to the ballot).
      std::vector<storage::Value> replaced, ballot_rows, participation_rows;
      for (const auto& [key, slot] : slots) {
        if (!slot.item) continue;
        const Item& it = *batch[*slot.item];
        if (slot.stored_id) {
          replaced.insert(replaced.end(),
                          {*slot.stored_id, pb_store::EncodeChoices(it.form), it.receipt_hash});
          continue;
        }
        participation_rows.insert(participation_rows.end(),
                                  {it.round_id, it.user_id, std::string("online")});
        ballot_rows.insert(ballot_rows.end(), {it.round_id, it.ballot_key, it.receipt_hash,
                                               pb_store::EncodeChoices(it.form)});
      }
      // One public record per round per batch: how many ballots were recorded, never
      // who cast which.
      const Actor system = SystemActor();
      std::vector<storage::AuditEntry> records;
      for (const auto& [round_id, n] : counted) {
        records.push_back(internal::AuditEntryFor(now, &system, rounds.at(round_id)->programme_id,
                                                  "pb.ballots.recorded",
                                                  "pb_round:" + std::to_string(round_id),
                                                  {{"ballots", n}}));
      }
      std::unordered_map<std::string, int64_t> added;  // new ballots' ids, by key
      if (postgres) {
        std::vector<storage::Statement> last;
        if (!replaced.empty() || !ballot_rows.empty() || !participation_rows.empty()) {
          last.push_back(BallotWritesStatement(replaced, ballot_rows, participation_rows));
        }
        const size_t writes = last.size();
        ASSIGN_OR_RETURN(auto append, storage::AuditAppendStatements(tx.backend(), *head, records));
        last.insert(last.end(), std::make_move_iterator(append.begin()),
                    std::make_move_iterator(append.end()));
        ASSIGN_OR_RETURN(const auto outcomes, tx.RunAll(last));
        if (writes) {
          for (const auto& r : outcomes.front().rows) added[r.Text(0)] = r.Int(1);
        }
        RETURN_IF_ERROR(storage::CheckAuditAppended(outcomes.data() + writes,
                                                    outcomes.size() - writes));
      } else {
        RETURN_IF_ERROR(WriteBallotsOneByOne(tx, replaced, ballot_rows, participation_rows, added));
        for (const auto& record : records) RETURN_IF_ERROR(storage::AppendAudit(tx, record));
      }
      for (const auto& [key, id] : added) {
        // Receipt codes name their ballot by a 32-bit number.
        if (id < 1 || id > int64_t{UINT32_MAX}) {
          return Error::Internal("a new ballot's id " + std::to_string(id) +
                                 " is outside what receipt codes can name");
        }
        slots.at(key).stored_id = id;
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        if (results[i].ok() && !settled[i]) {
          results[i]->ballot_id = slots.at(batch[i]->ballot_key).stored_id.value_or(0);
        }
      }
      return Status::Ok();
    }, {.sync_later = flush_later, .by_index = true});
    {
      std::lock_guard lock(stats_mu_);
      stats_.transaction_seconds.Add(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      stats_.batch_ballots.Add(static_cast<double>(batch.size()));
      if (!s.ok()) stats_.ballots_failed += batch.size();
    }
    if (!s.ok()) {
      for (auto& item : batch) item->done(s.error(), SessionCheck::kOk);
      return;
    }
    auto written = std::make_unique<Written>();
    written->batch = std::move(batch);
    written->results = std::move(results);
    written->checks = std::move(checks);
    written->durable = !flush_later;
    {
      std::lock_guard lock(sync_mu_);
      synced_queue_.push_back(std::move(written));
    }
    sync_cv_.notify_one();
  }

  // A committed batch waiting for the disk, with each voter's outcome.
  struct Written {
    std::vector<std::unique_ptr<Item>> batch;
    std::vector<Result<Recorded>> results;
    std::vector<SessionCheck> checks;
    bool durable = false;  // on disk already: nothing to flush
  };

  // Flushes what the writer committed, one flush for every batch committed meanwhile
  // (group commit again), then answers their voters: an acknowledged ballot is on disk.
  // (Batches committed on PostgreSQL are on disk already: only answered here, off the
  // writer's thread.)
  void Sync() {
    while (true) {
      std::vector<std::unique_ptr<Written>> ready;
      {
        std::unique_lock lock(sync_mu_);
        sync_cv_.wait(lock, [this] { return sync_stop_ || !synced_queue_.empty(); });
        if (synced_queue_.empty()) return;  // stopping and drained
        while (!synced_queue_.empty()) {
          ready.push_back(std::move(synced_queue_.front()));
          synced_queue_.pop_front();
        }
      }
      const auto started = std::chrono::steady_clock::now();
      const bool flush = std::any_of(ready.begin(), ready.end(),
                                     [](const auto& written) { return !written->durable; });
      const Status flushed = flush ? db_.SyncCommitted() : Status::Ok();
      {
        std::lock_guard lock(stats_mu_);
        if (flush) {
          stats_.flush_seconds.Add(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        }
        for (const auto& written : ready) {
          for (const auto& result : written->results) {
            if (!result.ok()) {
              ++stats_.ballots_refused;
            } else if (flushed.ok()) {
              ++stats_.ballots_recorded;
            } else {
              ++stats_.ballots_failed;
            }
          }
        }
      }
      for (auto& written : ready) {
        for (size_t i = 0; i < written->batch.size(); ++i) {
          Item& item = *written->batch[i];
          // A ballot the rules or the session check refused wrote nothing: its answer
          // stands whatever the flush did.
          if (!flushed.ok() && written->results[i].ok()) {
            item.done(Error::Unavailable("The ballot box could not confirm that your ballot was "
                                         "saved; please try again",
                                         flushed.error().internal_message),
                      SessionCheck::kOk);
          } else {
            item.done(std::move(written->results[i]), written->checks[i]);
          }
        }
      }
    }
  }

  storage::Database& db_;
  Clock& clock_;
  mutable std::mutex stats_mu_;
  BallotBoxStats stats_ = NoStats();  // GUARDED_BY(stats_mu_)
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Item>> queue_;  // GUARDED_BY(mu_)
  bool stop_ = false;                        // GUARDED_BY(mu_)
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::deque<std::unique_ptr<Written>> synced_queue_;  // GUARDED_BY(sync_mu_)
  bool sync_stop_ = false;                             // GUARDED_BY(sync_mu_)
  std::thread syncer_;
  std::thread thread_;  // last: starts after the members above exist
};

PbRounds::PbRounds(storage::Database& db, Clock& clock)
    : db_(db), clock_(clock), writer_(std::make_unique<BallotWriter>(db, clock)) {}

PbRounds::~PbRounds() = default;

BallotBoxStats PbRounds::BallotBox() const { return writer_->Stats(); }

void Histogram::Add(double value) {
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++counts[static_cast<size_t>(at)];
  ++count;
  sum += value;
}

Result<const PbRounds::Keys*> PbRounds::BallotKeys() {
  std::lock_guard lock(keys_mu_);
  if (keys_) return keys_.get();
  std::string secret;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_secret (id, secret) VALUES (1, :s) ON CONFLICT DO "
                            "NOTHING",
                            {internal::RandomHex(32)})
                        .status());
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT secret FROM pb_secret WHERE id = 1"));
    if (!row) return Error::Internal("pb_secret has no row");
    secret = row->Text(0);
    return Status::Ok();
  }));
  ReceiptLocator locator(secret);
  keys_ = std::make_unique<const Keys>(Keys{std::move(secret), locator});
  return keys_.get();
}

Result<BallotReceipt> PbRounds::CastBallot(const Actor* actor, int64_t round_id,
                                           const CastBallotForm& form) {
  auto done = std::make_shared<std::promise<Result<BallotReceipt>>>();
  auto future = done->get_future();
  CastBallotAsync(actor, round_id, form,
                  [done](Result<BallotReceipt> r) { done->set_value(std::move(r)); });
  return future.get();
}

void PbRounds::CastBallotAsync(const Actor* actor, int64_t round_id, const CastBallotForm& form,
                               BallotDone done) {
  if (!actor || actor->user_id == 0) return done(Error::Unauthenticated("Sign in to vote"));
  if (form.choices.size() > 1000) {
    return done(Error::InvalidArgument("Too many choices", {{"choices", "Too many choices"}}));
  }
  auto keys = BallotKeys();
  if (!keys.ok()) return done(keys.error());
  auto item = BallotWriter::NewItem(
      round_id, form, **keys,
      [done = std::move(done)](Result<BallotReceipt> r, SessionCheck) { done(std::move(r)); });
  item->user_id = actor->user_id;
  item->session_id = actor->session_id;
  item->ballot_key = BallotKey((*keys)->secret, round_id, actor->user_id);
  writer_->Submit(std::move(item));
}

void PbRounds::CastBallotWithSessionToken(std::string_view token, std::string csrf_token,
                                          int64_t round_id, const CastBallotForm& form,
                                          SessionBallotDone done) {
  auto keys = BallotKeys();
  if (!keys.ok()) return done(keys.error(), SessionCheck::kOk);
  auto item = BallotWriter::NewItem(round_id, form, **keys, std::move(done));
  item->token_hash = internal::Sha256Hex(token);
  item->csrf_token = std::move(csrf_token);
  writer_->Submit(std::move(item));
}

Result<bool> PbRounds::HasVoted(const Actor* actor, int64_t round_id) {
  if (!actor || actor->user_id == 0) return false;
  ASSIGN_OR_RETURN(const Keys* keys, BallotKeys());
  const std::string key = BallotKey(keys->secret, round_id, actor->user_id);
  bool voted = false;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM pb_ballots WHERE ballot_key = :k", {key}));
    voted = row.has_value();
    return Status::Ok();
  }));
  return voted;
}

Result<ReceiptStatus> PbRounds::CheckReceipt(std::string_view code) {
  const std::string normal = NormaliseReceipt(code);
  if (normal.size() != kReceiptDigits && normal.size() != kEarlierReceiptDigits) {
    return Error::InvalidArgument(
        "Enter the receipt code",
        {{"code", "Enter the 20-character receipt code, like 3F2A-9C01-77BE-0D4E-A1B2"}});
  }
  // A code names its ballot; one given before codes did is found by its hash. Either
  // way it must be the ballot's latest receipt.
  std::string sql =
      "SELECT b.round_id, r.title, r.phase, b.batch_id, k.status FROM pb_ballots b "
      "JOIN pb_rounds r ON r.id = b.round_id "
      "LEFT JOIN pb_paper_batches k ON k.id = b.batch_id ";
  storage::Params params;
  if (normal.size() == kReceiptDigits) {
    ASSIGN_OR_RETURN(const Keys* keys, BallotKeys());
    const auto name = static_cast<uint32_t>(std::stoul(normal.substr(0, kLocatorDigits),
                                                        nullptr, 16));
    sql += "WHERE b.id = :id AND b.receipt_hash = :h";
    params = {int64_t{keys->locator.Decode(name)},
              internal::Sha256Hex(std::string_view(normal).substr(kLocatorDigits))};
  } else {
    sql += "JOIN pb_receipts c ON c.ballot_id = b.id "
           "WHERE c.receipt_hash = :h AND b.receipt_hash = :same";
    const std::string hash = internal::Sha256Hex(normal);
    params = {hash, hash};
  }
  ReceiptStatus out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, params));
    if (!row) {
      return Error::NotFound("No ballot has this receipt code. If you changed your ballot, "
                             "only the receipt of your latest ballot is valid.");
    }
    out.round_id = row->Int(0);
    out.round_title = row->Text(1);
    out.counted = row->IsNull(3) || row->Text(4) == "confirmed";
    auto phase = ParsePbPhase(row->Text(2)).value_or(PbPhase::kVoting);
    out.closed = phase == PbPhase::kResults || phase == PbPhase::kDelivery;
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
