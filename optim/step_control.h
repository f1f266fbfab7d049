#ifndef FISHEROPT_OPTIM_STEP_CONTROL_H_
#define FISHEROPT_OPTIM_STEP_CONTROL_H_

#include <Eigen/Core>
#include <limits>
#include <memory>
#include <string>

#include "optim/counted_objective.h"
#include "optim/linear_solver.h"
#include "optim/solver_options.h"

namespace fisheropt {

// A point the solver stands at: θ with L(θ) and ∇L(θ).
struct SolverPoint {
  Eigen::VectorXd theta;
  double value = 0.0;
  Eigen::VectorXd gradient;
};

// What a step control reports about the step it accepted.
struct StepResult {
  SolverPoint next;
  double step_size = 1.0;  // α
  double damping = 0.0;    // λ, or the positive-definiteness shift τ
  double gain_ratio = 0.0;
  double quadratic_form = 0.0;  // ½ sᵀ C s, s = next.theta − current.theta
  // Decrease of L that the quadratic model −(gᵀs + ½ sᵀCs) predicts for the
  // first trial step. Set also when the step fails: a failure whose
  // predicted decrease is below the function tolerance means the iterate is
  // at the rounding floor of L, which the solver reports as convergence.
  // NaN until a trial step has been computed.
  double predicted_decrease = std::numeric_limits<double>::quiet_NaN();
  // ‖s‖ of the last trial step a trust-region control (LM, KL) tried, if
  // the objective was finite there (NaN otherwise), set also when the step
  // fails: a failure whose last trial step is below the
  // parameter tolerance ends the solve as convergence, as the accepted step
  // would have (Ceres' "minimum trust region radius"). NaN if unused.
  double last_trial_step_norm = std::numeric_limits<double>::quiet_NaN();
  // δ of the KL trust region that the accepted step respected (0 if unused).
  double trust_region_radius = 0.0;
  int line_search_evaluations = 0;
  int num_factorizations = 0;
  int num_cg_iterations = 0;
  double linear_solver_time_in_seconds = 0.0;
};

// Turns the curvature C at the current point into an accepted step: the
// globalization of a Newton-like method. The solver calls ComputeStep once per
// iteration with the operator its curvature schedule prepared
// (optim/curvature_schedule.h): the dense matrix — possibly with a
// least-squares factor or L-BFGS pairs — or matrix-free products when the
// linear solver is conjugate gradient (truncated Newton). A step control may
// keep state between calls (the λ of Levenberg–Marquardt, the δ of the KL
// trust region). The trust-region controls are one loop, TrustRegionStep
// (optim/trust_region_step.h), around a strategy.
class StepControl {
 public:
  virtual ~StepControl() = default;

  // Returns false with a message when no acceptable step was found; the
  // solver then stops at `current`, the last good point, and reads
  // result->predicted_decrease to tell convergence from failure.
  virtual bool ComputeStep(const SolverPoint& current,
                           const CurvatureOperator& curvature,
                           CountedObjective* objective, StepResult* result,
                           std::string* message) = 0;

  virtual StepControlType type() const = 0;
};

// The Newton-like direction d = −(C + τI)⁻¹g of the step controls that
// take one direction per iteration (line search, KL region, fixed step),
// with their shared bookkeeping: factorization and CG counts and the solve
// time go into *result; on failure *message says why.
bool ComputeStepDirection(const SolverPoint& current,
                          const CurvatureOperator& curvature,
                          const LinearSolverOptions& options,
                          NewtonDirection* newton, StepResult* result,
                          std::string* message);

// The step controls are one table (step_control.cc), a row each: the name
// (ToString/FromString of StepControlType), the check of its options, and
// its factory. Adding a step control adds a row.

// The step control options.step_control names, configured from `options`,
// for a dense curvature or (matrix_free) for curvature products: the
// Levenberg–Marquardt damping of a dense C, its Steihaug-CG trust region on
// products.
std::unique_ptr<StepControl> CreateStepControl(const SolverOptions& options,
                                               bool matrix_free);

// The options of every step control (not only the chosen one), in the
// order of the table; for SolverOptions::IsValid.
bool StepControlOptionsAreValid(const SolverOptions& options,
                                std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_STEP_CONTROL_H_
