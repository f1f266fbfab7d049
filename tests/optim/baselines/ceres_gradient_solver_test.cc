#include "optim/baselines/ceres_gradient_solver.h"

#include <gtest/gtest.h>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"

namespace fisheropt {
namespace {

std::unique_ptr<CatalogProblem> Logistic() {
  CatalogOptions options;
  options.logistic_samples = 3000;
  options.logistic_parameters = 8;
  std::string error;
  auto problem = MakeCatalogProblem("logistic", options, &error);
  EXPECT_NE(problem, nullptr) << error;
  return problem;
}

StoppingOptions Tight() {
  StoppingOptions stopping;
  stopping.max_iterations = 1000;
  stopping.function_tolerance = 1e-15;
  stopping.gradient_tolerance = 1e-7;
  stopping.parameter_tolerance = 1e-14;
  return stopping;
}

TEST(CeresGradientSolverTest, LbfgsAndBfgsAgreeWithNewtonOnLogisticMle) {
  auto problem = Logistic();
  Eigen::VectorXd newton = problem->start;
  SolverOptions options;
  options.curvature.type = CurvatureType::kHessian;
  options.stopping = Tight();
  SolverSummary newton_summary;
  Solve(options, *problem->model, &newton, &newton_summary);
  ASSERT_EQ(newton_summary.termination_type, TerminationType::kConvergence);

  for (auto direction :
       {CeresLineSearchDirection::kLbfgs, CeresLineSearchDirection::kBfgs}) {
    CeresGradientSolverOptions ceres_options;
    ceres_options.direction = direction;
    ceres_options.stopping = Tight();
    Eigen::VectorXd theta = problem->start;
    SolverSummary summary;
    SolveWithCeres(ceres_options, *problem->model, &theta, &summary);
    EXPECT_TRUE(summary.IsSolutionUsable()) << summary.message;
    EXPECT_LT((theta - newton).norm(), 1e-6 * newton.norm())
        << ToString(direction) << ": " << summary.message;
    // The same objective scale: Ceres' cost is our summed NLL.
    EXPECT_NEAR(summary.final_cost, newton_summary.final_cost,
                1e-10 * newton_summary.final_cost);
    EXPECT_EQ(summary.solver, ToString(direction));
    EXPECT_GT(summary.num_iterations(), 0);
    EXPECT_EQ(summary.iterations.front().cost, summary.initial_cost);
    EXPECT_GE(summary.num_gradient_evaluations, summary.num_iterations());
    EXPECT_GE(summary.num_cost_evaluations, summary.num_gradient_evaluations);
  }
}

// Ceres' approximate eigenvalue scaling (γ = yᵀs / yᵀy instead of H₀ = I)
// reaches the same MLE and is what makes L-BFGS scale-invariant: multiplying
// the objective by N (the summed against the mean NLL) leaves its iterations
// unchanged, while with H₀ = I they change.
class ScaledObjective final : public Objective {
 public:
  ScaledObjective(const Objective& base, double factor)
      : base_(base), factor_(factor) {}
  int NumParameters() const override { return base_.NumParameters(); }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override {
    if (!base_.Evaluate(theta, value, gradient)) return false;
    *value *= factor_;
    if (gradient != nullptr) *gradient *= factor_;
    return true;
  }

 private:
  const Objective& base_;
  double factor_;
};

TEST(CeresGradientSolverTest, ApproximateEigenvalueScalingIsScaleInvariant) {
  auto problem = Logistic();
  const double n = problem->model->NumSamples();
  const ScaledObjective mean_nll(*problem->model, 1.0 / n);
  const auto solve = [&](const Objective& objective, bool scaled,
                         Eigen::VectorXd* theta) {
    CeresGradientSolverOptions options;
    options.approximate_eigenvalue_scaling = scaled;
    options.stopping = Tight();
    options.stopping.gradient_tolerance = 1e-9;
    *theta = problem->start;
    SolverSummary summary;
    SolveWithCeres(options, objective, theta, &summary);
    EXPECT_TRUE(summary.IsSolutionUsable()) << summary.message;
    return summary.num_iterations();
  };
  Eigen::VectorXd summed, mean, summed_plain, mean_plain;
  const int scaled_summed = solve(*problem->model, true, &summed);
  const int scaled_mean = solve(mean_nll, true, &mean);
  EXPECT_NEAR(scaled_summed, scaled_mean, 1);
  EXPECT_LT((summed - mean).norm(), 1e-5 * mean.norm());
  const int plain_summed = solve(*problem->model, false, &summed_plain);
  const int plain_mean = solve(mean_nll, false, &mean_plain);
  EXPECT_NE(plain_summed, plain_mean);
  EXPECT_LT((summed_plain - summed).norm(), 1e-5 * summed.norm());
}

TEST(CeresGradientSolverTest, InvalidOptionsAndShapesAreReported) {
  auto problem = Logistic();
  CeresGradientSolverOptions options;
  options.max_lbfgs_rank = 0;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  SolveWithCeres(options, *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "Invalid options: CeresGradientSolverOptions::max_lbfgs_rank = 0 "
            "must be >= 1");

  theta = Eigen::VectorXd::Zero(2);
  SolveWithCeres(CeresGradientSolverOptions(), *problem->model, &theta,
                 &summary);
  EXPECT_EQ(summary.message,
            "The start point has 2 parameters; the objective has 8");
}

}  // namespace
}  // namespace fisheropt
