#ifndef FISHEROPT_OPTIM_SOLVER_OPTIONS_H_
#define FISHEROPT_OPTIM_SOLVER_OPTIONS_H_

#include <string>
#include <vector>

#include "fisher/curvature.h"
#include "optim/iteration_callback.h"

namespace fisheropt {

// When to stop. The three tolerances are defined exactly as Ceres'
// GradientProblemSolver defines them (and take its defaults), so that a
// comparison against Ceres uses the same rules:
//   gradient:  ‖∇L(θ)‖∞ ≤ gradient_tolerance
//   function:  |L_old − L_new| ≤ function_tolerance · |L_old|
//   parameter: ‖Δθ‖₂ ≤ parameter_tolerance · (‖θ‖₂ + parameter_tolerance)
// One departure: function_tolerance = 0 disables the function rule. (With
// Ceres' ≤ it would fire on a change of exactly 0, which at the rounding
// floor of L happens while θ is still converging.)
struct StoppingOptions {
  int max_iterations = 100;
  double max_solver_time_in_seconds = 1e9;
  double function_tolerance = 1e-6;
  double gradient_tolerance = 1e-10;
  double parameter_tolerance = 1e-8;

  bool IsValid(std::string* error) const;
};

// How the step d = −(C + τI)⁻¹ g is solved when C may be indefinite or
// singular: a Cholesky factorization of C + τI, with τ = 0 first and then
// τ = initial_shift_ratio · max|diag C| multiplied by shift_growth per retry
// (Nocedal & Wright, Algorithm 3.3), until the factorization succeeds with
// pivots no smaller than min_relative_pivot relative to the largest.
struct LinearSolverOptions {
  double initial_shift_ratio = 1e-10;
  double shift_growth = 10.0;
  int max_shift_retries = 20;
  // Smallest pivot² / largest pivot² of the Cholesky factor before the
  // matrix counts as numerically singular (and is shifted).
  double min_relative_pivot = 1e-14;

  bool IsValid(std::string* error) const;
};

enum class StepControlType {
  // Backtracking from the full step until the Armijo condition holds.
  kLineSearch,
  // (C + λD) d = −g with λ adapted from the gain ratio ρ (Nielsen 1999).
  kLevenbergMarquardt,
  // θ ← θ + η d with a fixed learning rate η: the plain natural gradient.
  kFixedStep,
};

// "line_search", "levenberg_marquardt", "fixed_step".
std::string ToString(StepControlType type);
bool FromString(const std::string& name, StepControlType* type);

// Armijo backtracking line search. Defaults follow Ceres' line search options.
struct LineSearchOptions {
  // Armijo: accept α when L(θ + αd) ≤ L(θ) + sufficient_decrease · α gᵀd.
  double sufficient_decrease = 1e-4;
  // Each backtrack picks the minimizer of a quadratic interpolant, clamped to
  // [max_step_contraction · α, min_step_contraction · α].
  double max_step_contraction = 1e-3;
  double min_step_contraction = 0.6;
  // Give up (a failed step) after this many trial points or below this α.
  int max_evaluations = 20;
  double min_step_size = 1e-9;

  bool IsValid(std::string* error) const;
};

enum class DampingScaling {
  kIdentity,  // D = I (Levenberg): λ is in units of the curvature.
  kDiagonal,  // D = diag(C) (Marquardt): scale invariant, λ dimensionless.
};

// Levenberg–Marquardt damping with Nielsen's update (Nielsen 1999; Madsen,
// Nielsen & Tingleff 2004, "Methods for non-linear least squares", §3.2).
struct DampingOptions {
  // Marquardt scaling by default: invariant to the units of the parameters
  // (with D = I, λ₀ follows the largest curvature and columns on small
  // scales are over-damped for many iterations; Ceres scales by the
  // Jacobian's column norms for the same reason).
  DampingScaling scaling = DampingScaling::kDiagonal;
  // λ₀ = initial_damping_ratio · max diag(C) for kIdentity, and
  // λ₀ = initial_damping_ratio for kDiagonal.
  double initial_damping_ratio = 1e-4;
  // Accept a step when ρ = actual / predicted decrease exceeds this.
  double min_gain_ratio = 1e-3;
  // A failed step after this many rejected trial steps in a row.
  int max_consecutive_rejections = 40;

  bool IsValid(std::string* error) const;
};

// The fixed-rate step of the plain natural gradient.
struct FixedStepOptions {
  // θ ← θ + learning_rate · d. With d the Fisher-scoring direction, 1 is a
  // full Fisher step; below 1 the error contracts by about (1 − rate) per
  // iteration near the optimum.
  double learning_rate = 0.5;
  // A trial point with a non-finite objective halves the rate for that step,
  // at most this many times before the step fails.
  int max_halvings = 30;

  bool IsValid(std::string* error) const;
};

struct SolverOptions {
  CurvatureOptions curvature;
  StepControlType step_control = StepControlType::kLineSearch;
  LineSearchOptions line_search;
  DampingOptions damping;
  FixedStepOptions fixed_step;
  LinearSolverOptions linear_solver;
  StoppingOptions stopping;
  // Called after every iteration, in order; not owned. The first that
  // returns other than kContinue ends the solve.
  std::vector<IterationCallback*> callbacks;

  // Checks every nested options struct; the message names the field, its
  // value and the broken constraint.
  bool IsValid(std::string* error) const;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_SOLVER_OPTIONS_H_
