#include "communitise/sortition/coin_solver.h"

#include <ClpSimplex.hpp>
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinError.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <cmath>
#include <exception>

namespace communitise::sortition {
namespace {

double ToCoin(double v) {
  if (v == kInfinity) return COIN_DBL_MAX;
  if (v == -kInfinity) return -COIN_DBL_MAX;
  return v;
}

SolveStatus Failed(std::string message) {
  SolveStatus s;
  s.call = CallStatus::kError;
  s.message = std::move(message);
  return s;
}

class ClpLp final : public LpSolver {
 public:
  ClpLp() {
    simplex_.setLogLevel(0);
    simplex_.setOptimizationDirection(1);
  }

  int AddRow(double lower, double upper) override {
    simplex_.addRow(0, nullptr, nullptr, ToCoin(lower), ToCoin(upper));
    return simplex_.numberRows() - 1;
  }

  int AddColumn(double cost, double lower, double upper,
                const SparseVector& entries) override {
    std::vector<int> rows;
    std::vector<double> values;
    for (const auto& [r, v] : entries) {
      rows.push_back(r);
      values.push_back(v);
    }
    simplex_.addColumn(static_cast<int>(rows.size()), rows.data(), values.data(),
                       ToCoin(lower), ToCoin(upper), cost);
    return simplex_.numberColumns() - 1;
  }

  void SetRowBounds(int row, double lower, double upper) override {
    simplex_.setRowBounds(row, ToCoin(lower), ToCoin(upper));
  }

  void SetCoefficient(int row, int column, double value) override {
    simplex_.modifyCoefficient(row, column, value, false);
  }

  SolveStatus Solve() override {
    try {
      // The basis survives added columns and changed bounds, so primal simplex
      // re-optimises from it; a model CLP leaves unsolved gets a fresh start.
      if (solved_once_) {
        simplex_.primal(1);
      } else {
        simplex_.initialSolve();
      }
      if (simplex_.status() != 0 && simplex_.status() != 1 && simplex_.status() != 2) {
        simplex_.initialSolve();
      } else if (simplex_.status() == 1 || simplex_.status() == 2) {
        // Confirm infeasibility or unboundedness from scratch, not from a warm basis.
        simplex_.initialSolve();
      }
    } catch (const CoinError& e) {
      return Failed(e.message());
    } catch (const std::exception& e) {
      return Failed(e.what());
    }
    solved_once_ = true;
    SolveStatus s;
    s.call = CallStatus::kOk;
    switch (simplex_.status()) {
      case 0: s.model = ModelStatus::kOptimal; break;
      case 1: s.model = ModelStatus::kInfeasible; break;
      case 2: s.model = ModelStatus::kUnbounded; break;
      default: s.model = ModelStatus::kNotSolved; break;
    }
    return s;
  }

  double Objective() const override { return simplex_.objectiveValue(); }

  std::vector<double> Primal() const override {
    const double* x = simplex_.getColSolution();
    return std::vector<double>(x, x + simplex_.numberColumns());
  }

  std::vector<double> RowDuals() const override {
    // CLP's dualRowSolution is in the sense of the optimisation direction; the
    // model is always minimised here, so it already matches the contract.
    const double* y = simplex_.getRowPrice();
    return std::vector<double>(y, y + simplex_.numberRows());
  }

  int num_rows() const override { return simplex_.numberRows(); }
  int num_columns() const override { return simplex_.numberColumns(); }

 private:
  // const accessors of ClpSimplex are not all const; keep the model mutable.
  mutable ClpSimplex simplex_;
  bool solved_once_ = false;
};

class CbcMip final : public MipSolver {
 public:
  MipSolution Solve(const MipModel& model) override {
    MipSolution out;
    try {
      const int ncols = model.num_columns();
      CoinPackedMatrix matrix(false, 0, 0);
      matrix.setDimensions(0, ncols);
      for (const SparseVector& row : model.rows) {
        std::vector<int> idx;
        std::vector<double> val;
        for (const auto& [c, v] : row) {
          idx.push_back(c);
          val.push_back(v);
        }
        matrix.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
      }
      std::vector<double> cl(ncols), cu(ncols), obj(ncols);
      for (int j = 0; j < ncols; ++j) {
        cl[j] = ToCoin(model.col_lower[j]);
        cu[j] = ToCoin(model.col_upper[j]);
        obj[j] = model.cost[j];
      }
      std::vector<double> rl(model.rows.size()), ru(model.rows.size());
      for (size_t i = 0; i < model.rows.size(); ++i) {
        rl[i] = ToCoin(model.row_lower[i]);
        ru[i] = ToCoin(model.row_upper[i]);
      }
      OsiClpSolverInterface osi;
      osi.messageHandler()->setLogLevel(0);
      osi.getModelPtr()->setLogLevel(0);
      osi.loadProblem(matrix, cl.data(), cu.data(), obj.data(), rl.data(), ru.data());
      for (int j = 0; j < ncols; ++j) {
        if (model.integer[j]) osi.setInteger(j);
      }
      osi.setObjSense(model.maximise ? -1.0 : 1.0);

      CbcModel cbc(osi);
      cbc.setLogLevel(0);
      cbc.messageHandler()->setLogLevel(0);
      CbcSolverUsefulData data;
      data.noPrinting_ = true;
      data.useSignalHandler_ = false;
      CbcMain0(cbc, data);
      cbc.setAllowableGap(1e-9);
      cbc.setAllowableFractionGap(0.0);
      cbc.setAllowablePercentageGap(0.0);
      const char* argv[] = {"communitise", "-log", "0", "-slog", "0", "-solve", "-quit"};
      CbcMain1(7, argv, cbc, nullptr, data);

      out.status.call = CallStatus::kOk;
      if (cbc.isProvenOptimal() && cbc.bestSolution() != nullptr) {
        out.status.model = ModelStatus::kOptimal;
        const double* x = cbc.bestSolution();
        out.x.assign(x, x + ncols);
        for (int j = 0; j < ncols; ++j) {
          if (model.integer[j]) out.x[j] = std::round(out.x[j]);
        }
        double value = 0;
        for (int j = 0; j < ncols; ++j) value += model.cost[j] * out.x[j];
        out.objective = value;
      } else if (cbc.isProvenInfeasible() ||
                 (cbc.isProvenOptimal() && cbc.bestSolution() == nullptr)) {
        out.status.model = ModelStatus::kInfeasible;
      } else if (cbc.isContinuousUnbounded()) {
        out.status.model = ModelStatus::kUnbounded;
      } else {
        out.status.model = ModelStatus::kNotSolved;
      }
    } catch (const CoinError& e) {
      return MipSolution{Failed(e.message()), 0, {}};
    } catch (const std::exception& e) {
      return MipSolution{Failed(e.what()), 0, {}};
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<LpSolver> MakeClpSolver() { return std::make_unique<ClpLp>(); }
std::unique_ptr<MipSolver> MakeCbcSolver() { return std::make_unique<CbcMip>(); }

}  // namespace communitise::sortition
