// Fits the MVN catalog problem by Fisher scoring through the installed
// headers and libraries; exits non-zero unless it reaches the closed form.
#include <iostream>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"

int main() {
  fisheropt::CatalogOptions catalog;
  catalog.mvn_samples = 200;
  catalog.mvn_dimension = 3;
  std::string error;
  auto problem = fisheropt::MakeCatalogProblem("mvn", catalog, &error);
  if (problem == nullptr) {
    std::cerr << error << "\n";
    return 1;
  }
  Eigen::VectorXd theta = problem->start;
  fisheropt::SolverOptions options;
  options.stopping.function_tolerance = 1e-14;
  fisheropt::SolverSummary summary;
  fisheropt::Solve(options, *problem->model, &theta, &summary);
  std::cout << summary.BriefReport() << "\n";
  const double error_norm = (theta - *problem->closed_form_optimum).norm();
  return summary.termination_type == fisheropt::TerminationType::kConvergence &&
                 error_norm < 1e-6 * problem->closed_form_optimum->norm()
             ? 0
             : 1;
}
