// Use cases: an officer enters a batch of paper ballots; a second officer confirms it.
#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
PaperBatch BatchFromRow(const storage::Row& r) {
  PaperBatch b;
  b.id = r.Int(0);
  b.round_id = r.Int(1);
  b.label = r.Text(2);
  b.ballots = static_cast<int>(r.Int(3));
  b.entered_by = r.Int(4);
  b.confirmed_by = r.OptInt(5);
  b.status = r.Text(6);
  b.created_at = r.Int(7);
  return b;
}
constexpr std::string_view kBatchColumns =
    "SELECT id, round_id, label, ballots, entered_by, confirmed_by, status, created_at FROM "
    "pb_paper_batches ";
}  // namespace

Result<PaperBatch> PbRounds::EnterPaperBatch(const Actor* actor, int64_t round_id,
                                             const PaperBatchForm& form) {
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "label", "a label for the batch", form.label, 1, 200);
  if (form.ballots.empty()) errors.push_back({"ballots", "Enter at least one ballot"});
  if (form.ballots.size() > 10000) errors.push_back({"ballots", "At most 10,000 ballots a batch"});
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    if (!CanRun(actor, round)) return Error::Forbidden("Only officers enter paper ballots");
    if (round.phase != PbPhase::kVoting) return Error::Conflict("Voting in this round is not open");
    ASSIGN_OR_RETURN(pb_store::BallotPaper paper, pb_store::LoadBallotPaper(tx, round));
    for (size_t i = 0; i < form.ballots.size(); ++i) {
      if (Status v = pb_store::ValidateBallot(round, paper, form.ballots[i]); !v.ok()) {
        Error e = v.error();
        e.public_message = "Paper ballot " + std::to_string(i + 1) + ": " + e.public_message;
        for (auto& f : e.fields) {
          f.field = "ballots";
          f.message = "Paper ballot " + std::to_string(i + 1) + ": " + f.message;
        }
        return e;
      }
    }
    ASSIGN_OR_RETURN(id, tx.Insert("INSERT INTO pb_paper_batches (round_id, label, ballots, "
                                   "entered_by, status, created_at) VALUES (:r, :l, :n, :u, "
                                   "'pending', :t) RETURNING id",
                                   {round_id, internal::Trim(form.label),
                                    static_cast<int64_t>(form.ballots.size()), actor->user_id, now}));
    for (size_t i = 0; i < form.ballots.size(); ++i) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO pb_ballots (round_id, ballot_key, receipt_hash, "
                              "choices, batch_id) VALUES (:r, :k, :h, :c, :b)",
                              {round_id, "paper:" + std::to_string(id) + ":" + std::to_string(i),
                               internal::Sha256Hex(internal::RandomHex(16)),
                               pb_store::EncodeChoices(form.ballots[i]), id})
                          .status());
    }
    return internal::Audit(tx, now, actor, round.programme_id, "pb.paper.enter",
                           "pb_paper_batch:" + std::to_string(id),
                           {{"round", round_id}, {"ballots", form.ballots.size()},
                            {"label", internal::Trim(form.label)}});
  }));
  PaperBatch out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kBatchColumns) + "WHERE id = :id", {id}));
    out = BatchFromRow(*row);
    return Status::Ok();
  }));
  return out;
}

Result<PaperBatch> PbRounds::ConfirmPaperBatch(const Actor* actor, int64_t batch_id) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  PaperBatch out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kBatchColumns) + "WHERE id = :id", {batch_id}));
    if (!row) return Error::NotFound("No such batch of paper ballots");
    out = BatchFromRow(*row);
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, out.round_id));
    if (!CanRun(actor, round)) return Error::Forbidden("Only officers confirm paper ballots");
    if (out.entered_by == actor->user_id) {
      return Error::Forbidden("A second officer, not the one who entered it, must confirm a batch");
    }
    if (out.status != "pending") return Error::Conflict("This batch is already confirmed");
    if (round.phase != PbPhase::kVoting) return Error::Conflict("Voting in this round is not open");
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_paper_batches SET status = 'confirmed', confirmed_by = :u, "
                            "confirmed_at = :t WHERE id = :id",
                            {actor->user_id, now, batch_id})
                        .status());
    out.status = "confirmed";
    out.confirmed_by = actor->user_id;
    return internal::Audit(tx, now, actor, round.programme_id, "pb.paper.confirm",
                           "pb_paper_batch:" + std::to_string(batch_id),
                           {{"round", out.round_id}, {"ballots", out.ballots}});
  }));
  return out;
}

Result<std::vector<PaperBatch>> PbRounds::ListPaperBatches(const Actor* actor, int64_t round_id) {
  std::vector<PaperBatch> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    if (!CanRun(actor, round)) return Error::Forbidden();
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kBatchColumns) +
                                             "WHERE round_id = :r ORDER BY id",
                                         {round_id}));
    for (const auto& r : rows) out.push_back(BatchFromRow(r));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
