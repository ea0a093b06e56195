// Use case: an officer moves a round to its next phase (or reopens proposals).
#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {
// A round its panel decides has no voting phase: screening is followed by results.
int PhaseStep(const PbRound& round) {
  return round.panel_decides && round.phase == PbPhase::kScreening ? 2 : 1;
}
}  // namespace

Result<PbRound> PbRounds::SetPhase(const Actor* actor, int64_t round_id, std::string_view phase) {
  auto next = ParsePbPhase(phase);
  if (!next) {
    return Error::InvalidArgument("Choose a phase",
                                  {{"phase", "Must be proposals, screening, voting, results or delivery"}});
  }
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    if (!CanRun(actor, round)) return Error::Forbidden("Only officers can change a round's phase");
    const int from = static_cast<int>(round.phase), to = static_cast<int>(*next);
    if (to == from) return Error::Conflict("The round is already in this phase");
    if (to < from) {
      if (round.phase != PbPhase::kScreening || *next != PbPhase::kProposals) {
        return Error::Conflict("Only the proposals phase can be reopened, and only from screening");
      }
      ASSIGN_OR_RETURN(auto decided, tx.QueryOne("SELECT COUNT(*) FROM pb_projects WHERE "
                                                 "round_id = :r AND status IN ('accepted', "
                                                 "'rejected')",
                                                 {round_id}));
      if (decided && decided->Int(0) > 0) {
        return Error::Conflict("Proposals cannot be reopened once the panel has decided projects");
      }
    } else if (to != from + PhaseStep(round)) {
      return Error::Conflict(std::string("The next phase is ") +
                             std::string(Label(static_cast<PbPhase>(from + PhaseStep(round)))));
    }
    if (*next == PbPhase::kResults && round.panel_decides) {
      ASSIGN_OR_RETURN(auto open, tx.QueryOne("SELECT COUNT(*) FROM pb_projects WHERE "
                                              "round_id = :r AND status IN ('submitted', "
                                              "'eligible', 'ineligible')",
                                              {round_id}));
      if (open && open->Int(0) > 0) {
        return Error::Conflict("The panel must decide every submitted bid before the results");
      }
    }
    if (*next == PbPhase::kVoting) {
      ASSIGN_OR_RETURN(auto open, tx.QueryOne("SELECT COUNT(*) FROM pb_projects WHERE "
                                              "round_id = :r AND status IN ('submitted', "
                                              "'eligible')",
                                              {round_id}));
      if (open && open->Int(0) > 0) {
        return Error::Conflict("Every submitted project must be checked and decided before voting opens");
      }
      ASSIGN_OR_RETURN(auto on_ballot, tx.QueryOne("SELECT COUNT(*) FROM pb_projects WHERE "
                                                   "round_id = :r AND status = 'accepted'",
                                                   {round_id}));
      if (!on_ballot || on_ballot->Int(0) == 0) {
        return Error::Conflict("No project has been accepted to the ballot");
      }
    }
    if (*next == PbPhase::kResults) {
      ASSIGN_OR_RETURN(auto pending, tx.QueryOne("SELECT COUNT(*) FROM pb_paper_batches WHERE "
                                                 "round_id = :r AND status = 'pending'",
                                                 {round_id}));
      if (pending && pending->Int(0) > 0) {
        return Error::Conflict("A batch of paper ballots is waiting for a second officer's "
                               "confirmation");
      }
    }
    ASSIGN_OR_RETURN(int64_t changed, tx.Exec("UPDATE pb_rounds SET phase = :to WHERE id = :id AND "
                                              "phase = :from",
                                              {std::string(phase), round_id,
                                               std::string(ToString(round.phase))}));
    if (changed != 1) return Error::Conflict("The round changed meanwhile; reload and try again");
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, round.programme_id, "pb.round.phase",
                                    "pb_round:" + std::to_string(round_id),
                                    {{"from", ToString(round.phase)}, {"to", std::string(phase)}}));
    if (*next == PbPhase::kResults) {
      RETURN_IF_ERROR((round.panel_decides ? StorePanelDecisions(actor, round_id, tx)
                                           : ComputeAndStore(actor, round_id, tx))
                          .status());
    }
    return Status::Ok();
  }));
  // Ballots queued before the phase changed were committed or refused by the writer,
  // which re-reads the phase inside its own transaction.
  return Get(round_id);
}

}  // namespace communitise::app
