// Fits a logistic regression by Fisher scoring and compares its steps with
// Newton's method. For the logit link (canonical) the expected Fisher equals
// the Hessian, so the two methods take the same steps: the costs below agree
// to the last digit.
//
//   build/examples/logistic_fisher_scoring

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "optim/logging_callback.h"
#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/synthetic_data.h"

int main() {
  using namespace fisheropt;

  // 5000 samples, intercept + 4 features, known true coefficients.
  SyntheticRegression synthetic =
      MakeLogisticRegressionData(/*num_samples=*/5000, /*num_parameters=*/5,
                                 /*seed=*/42);
  std::string error;
  std::unique_ptr<GlmModel> model =
      GlmModel::Create(synthetic.data, GlmFamilyType::kBernoulliLogit, &error);
  if (model == nullptr) {
    std::cerr << "error: " << error << "\n";
    return 1;
  }

  // Fisher scoring = expected Fisher + Armijo line search (the defaults).
  // The iteration table goes to stderr through an spdlog logger.
  auto logger = spdlog::stderr_color_mt("fisheropt");
  logger->set_pattern("%v");
  LoggingCallback log_iterations(logger);
  SolverOptions scoring;
  scoring.curvature.type = CurvatureType::kExpectedFisher;
  scoring.stopping.function_tolerance = 1e-12;
  scoring.callbacks.push_back(&log_iterations);

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(model->NumParameters());
  SolverSummary scoring_summary;
  Solve(scoring, *model, &beta, &scoring_summary);
  std::cout << scoring_summary.FullReport() << "\n";

  // Newton's method: the same solver with the Hessian as curvature.
  SolverOptions newton = scoring;
  newton.curvature.type = CurvatureType::kHessian;
  newton.callbacks.clear();
  Eigen::VectorXd beta_newton = Eigen::VectorXd::Zero(model->NumParameters());
  SolverSummary newton_summary;
  Solve(newton, *model, &beta_newton, &newton_summary);

  std::printf("iter  %-24s %-24s\n", "Fisher scoring cost", "Newton cost");
  for (size_t i = 0; i < scoring_summary.iterations.size(); ++i) {
    std::printf("%4zu  %-24.16e %-24.16e\n", i,
                scoring_summary.iterations[i].cost,
                newton_summary.iterations[i].cost);
  }
  std::printf("\nmax |beta_scoring - beta_newton| = %.3e\n\n",
              (beta - beta_newton).cwiseAbs().maxCoeff());

  const std::vector<std::string> names = model->ParameterNames();
  std::printf("%-12s %12s %12s\n", "coefficient", "estimate", "true");
  for (int j = 0; j < model->NumParameters(); ++j) {
    std::printf("%-12s %12.6f %12.6f\n", names[j].c_str(), beta[j],
                synthetic.true_parameters[j]);
  }
  return scoring_summary.termination_type == TerminationType::kConvergence ? 0
                                                                           : 1;
}
