// Use cases: a member casts (or changes) a secret ballot; anyone checks a receipt.
//
// Ballots go through one writer thread (BallotWriter) that takes every ballot waiting
// and writes them in ONE transaction — group commit — so the cost of a durable commit
// (an fsync on SQLite with synchronous=FULL) is shared by many voters. Each request
// waits for its own outcome, which is set only after that transaction committed.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <thread>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {

// The fields of a round the writer needs, without the counts LoadRound adds.
Result<PbRound> LoadBallotRules(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT programme_id, phase, ballot_type, approval_min, "
                                         "approval_max, points, budget_pence, voting_closes "
                                         "FROM pb_rounds WHERE id = :id",
                                         {round_id}));
  if (!row) return Error::NotFound("No such participatory budgeting round");
  PbRound r;
  r.id = round_id;
  r.programme_id = row->Int(0);
  r.phase = ParsePbPhase(row->Text(1)).value_or(PbPhase::kProposals);
  r.ballot_type = row->Text(2);
  r.approval_min = static_cast<int>(row->Int(3));
  r.approval_max = static_cast<int>(row->Int(4));
  r.points = static_cast<int>(row->Int(5));
  r.budget_pence = row->Int(6);
  r.voting_closes = row->Int(7);
  return r;
}

Result<std::map<int64_t, int64_t>> AcceptedCosts(storage::Tx& tx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, cost_pence FROM pb_projects WHERE "
                                       "round_id = :r AND status = 'accepted'",
                                       {round_id}));
  std::map<int64_t, int64_t> out;
  for (const auto& r : rows) out[r.Int(0)] = r.Int(1);
  return out;
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

}  // namespace

class PbRounds::BallotWriter {
 public:
  struct Item {
    int64_t round_id = 0;
    int64_t user_id = 0;
    std::string ballot_key;
    std::string receipt_hash;
    CastBallotForm form;
    std::promise<Result<bool>> done;  // true: an earlier ballot was replaced
  };

  BallotWriter(storage::Database& db, Clock& clock)
      : db_(db), clock_(clock), thread_([this] { Run(); }) {}

  ~BallotWriter() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  std::future<Result<bool>> Submit(std::unique_ptr<Item> item) {
    auto future = item->done.get_future();
    {
      std::lock_guard lock(mu_);
      if (stop_) {
        item->done.set_value(Error::Unavailable("The server is stopping; try again"));
        return future;
      }
      queue_.push_back(std::move(item));
    }
    cv_.notify_one();
    return future;
  }

 private:
  static constexpr size_t kMaxBatch = 2048;

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
    std::vector<Result<bool>> results;
    const int64_t now = clock_.NowSeconds();
    Status s = db_.Transact([&](storage::Tx& tx) -> Status {
      results.assign(batch.size(), Result<bool>(false));
      std::map<int64_t, int64_t> counted;  // round → ballots written
      std::map<int64_t, Result<PbRound>> rounds;
      std::map<int64_t, std::map<int64_t, int64_t>> costs;
      for (size_t i = 0; i < batch.size(); ++i) {
        Item& it = *batch[i];
        if (!rounds.count(it.round_id)) {
          rounds.emplace(it.round_id, LoadBallotRules(tx, it.round_id));
          ASSIGN_OR_RETURN(costs[it.round_id], AcceptedCosts(tx, it.round_id));
        }
        const Result<PbRound>& round = rounds.at(it.round_id);
        if (!round.ok()) {
          results[i] = round.error();
          continue;
        }
        if (round->phase != PbPhase::kVoting || now >= round->voting_closes) {
          results[i] = Error::Conflict("Voting in this round is not open");
          continue;
        }
        ASSIGN_OR_RETURN(bool member, pb_store::IsActiveMember(tx, round->programme_id, it.user_id));
        if (!member) {
          results[i] = Error::Forbidden("Only members of the programme can vote");
          continue;
        }
        if (Status v = pb_store::ValidateBallot(*round, costs.at(it.round_id), it.form); !v.ok()) {
          results[i] = v.error();
          continue;
        }
        ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT id FROM pb_ballots WHERE ballot_key = :k",
                                                    {it.ballot_key}));
        if (existing && !it.form.replace) {
          results[i] = Error::Conflict(
              "You have already voted in this round. To change your vote, use "
              "\"Change your ballot\"; your earlier ballot stays counted until you do.");
          continue;
        }
        const std::string choices = pb_store::EncodeChoices(it.form);
        if (existing) {
          RETURN_IF_ERROR(tx.Exec("UPDATE pb_ballots SET choices = :c, receipt_hash = :h WHERE "
                                  "id = :id",
                                  {choices, it.receipt_hash, existing->Int(0)})
                              .status());
        } else {
          RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_ballots (round_id, ballot_key, receipt_hash, "
                                  "choices) VALUES (:r, :k, :h, :c)",
                                  {it.round_id, it.ballot_key, it.receipt_hash, choices})
                              .status());
          RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_participation (round_id, user_id, channel) "
                                  "VALUES (:r, :u, 'online') ON CONFLICT DO NOTHING",
                                  {it.round_id, it.user_id})
                              .status());
        }
        results[i] = existing.has_value();
        ++counted[it.round_id];
      }
      // One public record per round per batch: how many ballots were recorded, never
      // who cast which.
      const Actor system = SystemActor();
      for (const auto& [round_id, n] : counted) {
        RETURN_IF_ERROR(internal::Audit(tx, now, &system, rounds.at(round_id)->programme_id,
                                        "pb.ballots.recorded",
                                        "pb_round:" + std::to_string(round_id),
                                        {{"ballots", n}}));
      }
      return Status::Ok();
    });
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->done.set_value(s.ok() ? std::move(results[i]) : Result<bool>(s.error()));
    }
  }

  storage::Database& db_;
  Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Item>> queue_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

PbRounds::PbRounds(storage::Database& db, Clock& clock)
    : db_(db), clock_(clock), writer_(std::make_unique<BallotWriter>(db, clock)) {}

PbRounds::~PbRounds() = default;

Result<std::string> PbRounds::Secret() {
  std::lock_guard lock(secret_mu_);
  if (!secret_.empty()) return secret_;
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
  secret_ = secret;
  return secret_;
}

namespace {
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
}  // namespace

Result<BallotReceipt> PbRounds::CastBallot(const Actor* actor, int64_t round_id,
                                           const CastBallotForm& form) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated("Sign in to vote");
  if (form.choices.size() > 1000) {
    return Error::InvalidArgument("Too many choices", {{"choices", "Too many choices"}});
  }
  ASSIGN_OR_RETURN(std::string secret, Secret());
  const std::string code = internal::RandomHex(8);
  auto item = std::make_unique<BallotWriter::Item>();
  item->round_id = round_id;
  item->user_id = actor->user_id;
  item->ballot_key = BallotKey(secret, round_id, actor->user_id);
  item->receipt_hash = internal::Sha256Hex(code);
  item->form = form;
  auto future = writer_->Submit(std::move(item));
  ASSIGN_OR_RETURN(bool replaced, future.get());
  return BallotReceipt{FormatReceipt(code), replaced};
}

Result<bool> PbRounds::HasVoted(const Actor* actor, int64_t round_id) {
  if (!actor || actor->user_id == 0) return false;
  ASSIGN_OR_RETURN(std::string secret, Secret());
  const std::string key = BallotKey(secret, round_id, actor->user_id);
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
  if (normal.size() != 16) {
    return Error::InvalidArgument("Enter the receipt code",
                                  {{"code", "Enter the 16-character receipt code, like 3F2A-…"}});
  }
  ReceiptStatus out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT b.round_id, r.title, r.phase, b.batch_id, "
                                           "k.status FROM pb_ballots b JOIN pb_rounds r ON "
                                           "r.id = b.round_id LEFT JOIN pb_paper_batches k ON "
                                           "k.id = b.batch_id WHERE b.receipt_hash = :h",
                                           {internal::Sha256Hex(normal)}));
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
