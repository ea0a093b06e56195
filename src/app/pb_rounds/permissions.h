// Who may do what in a participatory-budgeting round. Pure; deny by default.
#ifndef COMMUNITISE_APP_PB_ROUNDS_PERMISSIONS_H_
#define COMMUNITISE_APP_PB_ROUNDS_PERMISSIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "communitise/app/constitutions.h"
#include "communitise/app/types.h"

namespace communitise::app::pb_permissions {

// Opening rounds, moving phases, officer checks, paper batches: officers and admins
// of the body or programme, and site admins.
bool CanRunRounds(const Actor* actor, int64_t public_body_id, int64_t programme_id);

// Opening a round: those who may run rounds and, when the constitution in force gives
// the board that power (RoundOpeners::kOfficersAndBoard), members of the programme's
// board (Role::kBoardMember for this programme or body-wide).
bool CanOpenRounds(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                   RoundOpeners openers);

// Deciding a project at screening: a member of the round's screening panel who did
// not propose the project and declared no conflict on it. On false, `why` says why.
bool CanScreen(const Actor* actor, const std::vector<int64_t>& screeners, int64_t proposer_id,
               bool declared_conflict, std::string* why);

// Taking part in the screening body's discussion of a project: those who may decide it
// (CanScreen), and the officers, admins and facilitators of the programme, who answer
// the panel's questions and chair it — unless they proposed it or declared an interest.
bool CanDiscuss(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                const std::vector<int64_t>& screeners, int64_t proposer_id,
                bool declared_conflict, std::string* why);

// Reporting delivery on an award: the round's runners and the project's proposer.
bool CanReportDelivery(const Actor* actor, int64_t public_body_id, int64_t programme_id,
                       int64_t proposer_id);

}  // namespace communitise::app::pb_permissions

#endif  // COMMUNITISE_APP_PB_ROUNDS_PERMISSIONS_H_
