#ifndef FISHEROPT_OPTIM_SOLVER_SUMMARY_H_
#define FISHEROPT_OPTIM_SOLVER_SUMMARY_H_

#include <string>
#include <vector>

namespace fisheropt {

// How a solve ended (the same meanings as ceres::TerminationType).
enum class TerminationType {
  kConvergence,    // A tolerance of StoppingOptions was met.
  kNoConvergence,  // The iteration or time limit was reached first.
  kFailure,        // A numerical failure; θ is the last good point.
  kUserSuccess,    // A callback stopped the solve successfully.
  kUserFailure,    // A callback aborted the solve.
};

// "CONVERGENCE", "NO_CONVERGENCE", "FAILURE", "USER_SUCCESS", "USER_FAILURE".
std::string ToString(TerminationType type);

// One record per iteration; iteration 0 is the start point.
struct IterationSummary {
  int iteration = 0;
  double cost = 0.0;         // L(θ) after the iteration (summed NLL).
  double cost_change = 0.0;  // L before − L after; > 0 is a decrease.
  double gradient_max_norm = 0.0;
  double gradient_norm = 0.0;
  double step_norm = 0.0;  // ‖Δθ‖₂ of the accepted step.
  double step_size = 0.0;  // α: line-search step, or learning rate used.
  // λ of Levenberg–Marquardt, or the shift τ that made C + τI positive
  // definite (0 when none was needed).
  double damping = 0.0;
  // ρ = actual / predicted decrease of the quadratic model (0 if unused).
  double gain_ratio = 0.0;
  // ½ ΔθᵀCΔθ: for a Fisher curvature, the KL divergence between the models
  // before and after the step, to second order.
  double quadratic_form = 0.0;
  // δ of the KL trust region for this step (quadratic_form ≤ δ); 0 if unused.
  double trust_region_radius = 0.0;
  // Conjugate-gradient iterations of the step's linear solve (truncated
  // Newton); 0 with Cholesky.
  int cg_iterations = 0;
  int line_search_evaluations = 0;
  bool step_is_successful = false;
  double iteration_time_in_seconds = 0.0;
  double cumulative_time_in_seconds = 0.0;
};

// Everything a solve reports, default-initialized to "not run". Every solver
// in the library (ours and the Ceres baselines) fills the same struct.
struct SolverSummary {
  // What ran: e.g. "fisher-scoring", "expected_fisher", "line_search".
  std::string solver = "none";
  std::string curvature = "none";
  std::string step_control = "none";
  // "cholesky", "dense_qr" (least-squares factor), "lbfgs" or
  // "conjugate_gradient" (truncated Newton): CurvatureSchedule::
  // LinearSolverName().
  std::string linear_solver = "none";
  int monte_carlo_samples = 0;  // > 0 for the Monte Carlo Fisher.
  // How the curvature departs from the exact matrix (Curvature::
  // Approximation()), e.g. "rows subsampled, fraction 0.25"; empty if exact.
  std::string curvature_approximation;
  int num_parameters = 0;

  TerminationType termination_type = TerminationType::kFailure;
  std::string message = "Not run.";

  double initial_cost = -1.0;
  double final_cost = -1.0;
  std::vector<IterationSummary> iterations;

  int num_cost_evaluations = 0;      // Objective values computed.
  int num_gradient_evaluations = 0;  // Gradients computed.
  int num_curvature_evaluations = 0;
  // Secant pairs taken by the correction of a reused C (BFGS updates of C
  // or L-BFGS pairs; CurvatureReuseOptions::secant_correction).
  int num_secant_updates = 0;
  int num_linear_solves = 0;  // Cholesky factorizations.
  int num_cg_iterations = 0;  // Conjugate-gradient iterations, all steps.
  // Matrix-free products C v (Curvature::Apply), for truncated Newton.
  int num_curvature_products = 0;

  double total_time_in_seconds = -1.0;
  double cost_evaluation_time_in_seconds = 0.0;  // value and gradient
  double curvature_time_in_seconds = 0.0;
  double linear_solver_time_in_seconds = 0.0;

  // Accepted iterations (iteration 0, the start point, not counted).
  int num_iterations() const {
    return iterations.empty() ? 0 : static_cast<int>(iterations.size()) - 1;
  }
  // True when the final point is a usable solution.
  bool IsSolutionUsable() const;
  // One line: what ran, how it ended, the costs.
  std::string BriefReport() const;
  // Several lines: the setup, the iteration table, counts and timings.
  std::string FullReport() const;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_SOLVER_SUMMARY_H_
