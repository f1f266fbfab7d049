#include "optim/solver_summary.h"

#include <cstdio>
#include <sstream>

namespace fisheropt {
namespace {

std::string Format(const char* format, double a) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, a);
  return buffer;
}

}  // namespace

std::string ToString(TerminationType type) {
  switch (type) {
    case TerminationType::kConvergence:
      return "CONVERGENCE";
    case TerminationType::kNoConvergence:
      return "NO_CONVERGENCE";
    case TerminationType::kFailure:
      return "FAILURE";
    case TerminationType::kUserSuccess:
      return "USER_SUCCESS";
    case TerminationType::kUserFailure:
      return "USER_FAILURE";
  }
  return "UNKNOWN";
}

bool SolverSummary::IsSolutionUsable() const {
  return termination_type == TerminationType::kConvergence ||
         termination_type == TerminationType::kNoConvergence ||
         termination_type == TerminationType::kUserSuccess;
}

std::string SolverSummary::BriefReport() const {
  std::ostringstream report;
  report << solver << " (" << curvature << " + " << step_control
         << "): " << num_iterations() << " iterations, cost "
         << Format("%.10e", initial_cost) << " -> "
         << Format("%.10e", final_cost) << ", " << ToString(termination_type)
         << ": " << message;
  return report.str();
}

std::string SolverSummary::FullReport() const {
  std::ostringstream report;
  report << "Solver summary (fisheropt)\n\n";
  report << "  solver                 " << solver << "\n";
  report << "  curvature              " << curvature << "\n";
  if (monte_carlo_samples > 0) {
    report << "  Monte Carlo samples    " << monte_carlo_samples << "\n";
  }
  if (!curvature_approximation.empty()) {
    report << "  approximation          " << curvature_approximation << "\n";
  }
  report << "  step control           " << step_control << "\n";
  report << "  linear solver          " << linear_solver << "\n";
  report << "  parameters             " << num_parameters << "\n\n";
  char line[256];
  std::snprintf(line, sizeof(line),
                "%4s %20s %11s %10s %10s %9s %9s %9s %10s %4s %9s\n", "iter",
                "cost", "cost_change", "|gradient|", "|step|", "step_size",
                "damping", "rho", "1/2sCs", "ls", "time(s)");
  report << line;
  for (const IterationSummary& it : iterations) {
    std::snprintf(line, sizeof(line),
                  "%4d %20.12e %11.3e %10.3e %10.3e %9.2e %9.2e %9.2e "
                  "%10.3e %4d %9.2e\n",
                  it.iteration, it.cost, it.cost_change, it.gradient_max_norm,
                  it.step_norm, it.step_size, it.damping, it.gain_ratio,
                  it.quadratic_form, it.line_search_evaluations,
                  it.cumulative_time_in_seconds);
    report << line;
  }
  report << "\n";
  report << "  initial cost           " << Format("%.15e", initial_cost)
         << "\n";
  report << "  final cost             " << Format("%.15e", final_cost) << "\n";
  report << "  cost change            "
         << Format("%.15e", initial_cost - final_cost) << "\n\n";
  report << "  iterations             " << num_iterations() << "\n";
  report << "  cost evaluations       " << num_cost_evaluations << "\n";
  report << "  gradient evaluations   " << num_gradient_evaluations << "\n";
  report << "  curvature evaluations  " << num_curvature_evaluations << "\n";
  if (num_secant_updates > 0) {
    report << "  secant (BFGS) updates  " << num_secant_updates << "\n";
  }
  report << "  linear solves          " << num_linear_solves << "\n";
  if (num_cg_iterations > 0 || num_curvature_products > 0) {
    report << "  CG iterations          " << num_cg_iterations << "\n";
    report << "  curvature products     " << num_curvature_products << "\n";
  }
  report << "\n";
  report << "  time: cost+gradient    "
         << Format("%.6f s", cost_evaluation_time_in_seconds) << "\n";
  report << "        curvature        "
         << Format("%.6f s", curvature_time_in_seconds) << "\n";
  report << "        linear solves    "
         << Format("%.6f s", linear_solver_time_in_seconds) << "\n";
  report << "        total            "
         << Format("%.6f s", total_time_in_seconds) << "\n\n";
  report << "Termination: " << ToString(termination_type) << " (" << message
         << ")\n";
  return report.str();
}

}  // namespace fisheropt
