#ifndef FISHEROPT_OPTIM_LINE_SEARCH_H_
#define FISHEROPT_OPTIM_LINE_SEARCH_H_

#include <functional>

#include "optim/step_control.h"

namespace fisheropt {

// Backtracking line search for the Armijo (sufficient decrease) condition
//   φ(α) ≤ φ(0) + c₁ α φ'(0),   φ(α) = L(θ + α d),
// trying the full step α = 1 first (so Newton's quadratic convergence is kept)
// and backtracking to the minimizer of the quadratic through φ(0), φ'(0) and
// φ(α), clamped to [max_step_contraction · α, min_step_contraction · α]. A
// non-finite φ(α) counts as a failed trial and halves α.
class ArmijoLineSearch {
 public:
  // Evaluates φ at α; returns false when φ(α) is not finite.
  using Function = std::function<bool(double alpha, double* value)>;

  struct Result {
    bool success = false;
    double step_size = 0.0;
    double value = 0.0;
    int num_evaluations = 0;
  };

  explicit ArmijoLineSearch(const LineSearchOptions& options)
      : options_(options) {}

  // Requires directional_derivative = φ'(0) < 0.
  Result Search(const Function& phi, double value,
                double directional_derivative) const;

 private:
  LineSearchOptions options_;
};

// Newton-like step with an Armijo line search: d = −(C + τI)⁻¹g (τ only when
// C is not positive definite), then θ ← θ + αd. Newton (Hessian) and Fisher
// scoring (expected Fisher) are this step control with different curvatures.
class LineSearchStep final : public StepControl {
 public:
  LineSearchStep(const LineSearchOptions& line_search,
                 const LinearSolverOptions& linear_solver)
      : line_search_(line_search), linear_solver_(linear_solver) {}

  bool ComputeStep(const SolverPoint& current, const Eigen::MatrixXd& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override { return StepControlType::kLineSearch; }

 private:
  ArmijoLineSearch line_search_;
  LinearSolverOptions linear_solver_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LINE_SEARCH_H_
