// The two solver facades the sortition algorithms use: an incremental linear
// programme (for the master problem of column generation, warm-started as columns
// and bounds change) and a one-shot mixed-integer programme (pricing, relaxation).
//
// Like HiGHS, a solve reports the call status (did the solver run) separately from the
// model status (optimal, infeasible, …). Implementations catch their library's
// exceptions and report kError. Adapters: coin_solver.h (CLP, CBC).
//
// Ownership: callers own solver objects. Thread safety: one solver per thread.
#ifndef COMMUNITISE_SORTITION_SOLVER_H_
#define COMMUNITISE_SORTITION_SOLVER_H_

#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace communitise::sortition {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class CallStatus { kOk, kError };
enum class ModelStatus { kOptimal, kInfeasible, kUnbounded, kNotSolved };

struct SolveStatus {
  CallStatus call = CallStatus::kError;
  ModelStatus model = ModelStatus::kNotSolved;
  std::string message;  // the library's explanation when call == kError
  bool optimal() const { return call == CallStatus::kOk && model == ModelStatus::kOptimal; }
};

// Sparse column or row entries: (index, coefficient).
using SparseVector = std::vector<std::pair<int, double>>;

// minimise c·x subject to row_lower <= A x <= row_upper, col_lower <= x <= col_upper.
class LpSolver {
 public:
  virtual ~LpSolver() = default;
  // Returns the index of the new row (no entries yet).
  virtual int AddRow(double lower, double upper) = 0;
  // Returns the index of the new column; entries index existing rows.
  virtual int AddColumn(double cost, double lower, double upper,
                        const SparseVector& entries) = 0;
  virtual void SetRowBounds(int row, double lower, double upper) = 0;
  virtual void SetCoefficient(int row, int column, double value) = 0;
  // Re-optimises from the last basis when there is one.
  virtual SolveStatus Solve() = 0;
  // REQUIRES: the last Solve() was optimal.
  virtual double Objective() const = 0;
  virtual std::vector<double> Primal() const = 0;
  // Row duals π in the minimise sense: the reduced cost of column j is
  // c_j − Σ_i π_i a_ij, and ∂(optimal objective)/∂(active row bound i) = π_i.
  virtual std::vector<double> RowDuals() const = 0;
  virtual int num_rows() const = 0;
  virtual int num_columns() const = 0;
};

struct MipModel {
  bool maximise = false;
  std::vector<double> cost;
  std::vector<double> col_lower, col_upper;
  std::vector<bool> integer;
  std::vector<SparseVector> rows;  // entries index columns
  std::vector<double> row_lower, row_upper;

  int AddColumn(double c, double lower, double upper, bool is_integer) {
    cost.push_back(c);
    col_lower.push_back(lower);
    col_upper.push_back(upper);
    integer.push_back(is_integer);
    return static_cast<int>(cost.size()) - 1;
  }
  int AddRow(SparseVector entries, double lower, double upper) {
    rows.push_back(std::move(entries));
    row_lower.push_back(lower);
    row_upper.push_back(upper);
    return static_cast<int>(rows.size()) - 1;
  }
  int num_columns() const { return static_cast<int>(cost.size()); }
};

struct MipSolution {
  SolveStatus status;
  double objective = 0;
  std::vector<double> x;
};

class MipSolver {
 public:
  virtual ~MipSolver() = default;
  // Solves to proven optimality (absolute gap below 1e-9 of the objective scale).
  virtual MipSolution Solve(const MipModel& model) = 0;
};

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_SOLVER_H_
