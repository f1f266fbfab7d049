#ifndef FISHEROPT_OPTIM_LINE_SEARCH_H_
#define FISHEROPT_OPTIM_LINE_SEARCH_H_

#include <functional>
#include <memory>

#include "optim/step_control.h"

namespace fisheropt {

// A one-dimensional search along a descent direction d of
//   φ(α) = L(θ + α d),   φ(0) = L(θ),   φ'(0) = gᵀd < 0,
// that tries the full step α = 1 first (so Newton's quadratic convergence is
// kept). Search() holds the bookkeeping shared by every search (checking
// φ'(0) < 0, counting evaluations against max_evaluations) and calls the
// private DoSearch() of the concrete search (as Ceres' LineSearch::Search →
// DoSearch). A trial whose φ(α) or φ'(α) is not finite counts as a step too
// long: the search contracts towards the last good step.
class LineSearch {
 public:
  // Evaluates φ(α) and φ'(α) = ∇L(θ + αd)ᵀd; returns false when either is
  // not finite (θ + αd is outside the domain).
  using Function =
      std::function<bool(double alpha, double* value, double* derivative)>;

  struct Result {
    bool success = false;
    double step_size = 0.0;
    double value = 0.0;       // φ(step_size)
    double derivative = 0.0;  // φ'(step_size)
    int num_evaluations = 0;
    // Wolfe: false when the evaluation budget ran out with only the
    // sufficient decrease condition met (the step is still accepted, as in
    // Ceres, since it decreases L).
    bool curvature_condition_met = false;
  };

  explicit LineSearch(const LineSearchOptions& options) : options_(options) {}
  virtual ~LineSearch() = default;

  // The search `options.type` names.
  static std::unique_ptr<LineSearch> Create(const LineSearchOptions& options);

  // Requires directional_derivative = φ'(0) < 0 (otherwise fails at once,
  // with no evaluation).
  Result Search(const Function& phi, double value,
                double directional_derivative) const;

  virtual LineSearchType type() const = 0;

 protected:
  const LineSearchOptions& options() const { return options_; }

 private:
  // `phi` counts into result->num_evaluations; a search stops once that
  // reaches options().max_evaluations.
  virtual void DoSearch(const Function& phi, double value,
                        double directional_derivative,
                        Result* result) const = 0;

  LineSearchOptions options_;
};

// Backtracking for the Armijo (sufficient decrease) condition
//   φ(α) ≤ φ(0) + c₁ α φ'(0),
// from α = 1 to the minimizer of the quadratic through φ(0), φ'(0) and φ(α),
// clamped to [max_step_contraction · α, min_step_contraction · α]. A
// non-finite φ(α) halves α.
class ArmijoLineSearch final : public LineSearch {
 public:
  explicit ArmijoLineSearch(const LineSearchOptions& options)
      : LineSearch(options) {}
  LineSearchType type() const override { return LineSearchType::kArmijo; }

 private:
  void DoSearch(const Function& phi, double value,
                double directional_derivative, Result* result) const override;
};

// The strong Wolfe conditions
//   φ(α) ≤ φ(0) + c₁ α φ'(0)          (sufficient decrease)
//   |φ'(α)| ≤ c₂ |φ'(0)|               (curvature, c₂ =
//                                       sufficient_curvature_decrease)
// by bracketing and zoom (Nocedal & Wright, Algorithms 3.5 and 3.6): from
// α = 1, a step that fails sufficient decrease (or does not decrease φ
// below the previous trial) or has φ' ≥ 0 closes a bracket; otherwise the
// step grows to the minimizer of the cubic through the last two trials,
// within [α + 0.1 (max_step_expansion − 1) α, max_step_expansion · α]. Zoom
// picks the minimizer of the cubic through the bracket's ends (the
// quadratic through φ(lo), φ'(lo), φ(hi) when the cubic has none, bisection
// after a non-finite trial), kept 10% inside the bracket. When the budget
// runs out inside a bracket, the low end (which has sufficient decrease and
// φ < φ(0)) is returned with curvature_condition_met = false.
class WolfeLineSearch final : public LineSearch {
 public:
  explicit WolfeLineSearch(const LineSearchOptions& options)
      : LineSearch(options) {}
  LineSearchType type() const override { return LineSearchType::kWolfe; }

 private:
  void DoSearch(const Function& phi, double value,
                double directional_derivative, Result* result) const override;
};

// Newton-like step with a line search (Armijo or strong Wolfe):
// d = −(C + τI)⁻¹g (τ only when C is not positive definite; conjugate
// gradient on matrix-free products for truncated Newton), then θ ← θ + αd.
// Newton (Hessian) and Fisher scoring (expected Fisher) are this step
// control with different curvatures. Never steps uphill: d is a descent
// direction and α satisfies the sufficient decrease condition.
class LineSearchStep final : public StepControl {
 public:
  LineSearchStep(const LineSearchOptions& line_search,
                 const LinearSolverOptions& linear_solver)
      : line_search_(LineSearch::Create(line_search)),
        linear_solver_(linear_solver) {}

  bool ComputeStep(const SolverPoint& current,
                   const CurvatureOperator& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override { return StepControlType::kLineSearch; }

 private:
  std::unique_ptr<LineSearch> line_search_;
  LinearSolverOptions linear_solver_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LINE_SEARCH_H_
