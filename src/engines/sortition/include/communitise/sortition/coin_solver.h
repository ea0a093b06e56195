// COIN-OR adapters for the solver facades: CLP for linear programmes, CBC (through
// CbcMain0/CbcMain1, so its default cut generators and heuristics run) for integer
// programmes. All COIN-OR output is silenced; exceptions (CoinError) are caught here
// and reported as CallStatus::kError.
//
// Ownership: each object owns its COIN-OR model. Thread safety: one object per thread.
#ifndef COMMUNITISE_SORTITION_COIN_SOLVER_H_
#define COMMUNITISE_SORTITION_COIN_SOLVER_H_

#include <memory>

#include "communitise/sortition/solver.h"

namespace communitise::sortition {

std::unique_ptr<LpSolver> MakeClpSolver();
std::unique_ptr<MipSolver> MakeCbcSolver();

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_COIN_SOLVER_H_
