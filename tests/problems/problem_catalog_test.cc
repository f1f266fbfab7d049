#include "problems/problem_catalog.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <fstream>

#include "optim/newton_solver.h"

namespace fisheropt {
namespace {

TEST(ProblemCatalogTest, BuildsEveryProblemWithZeroStart) {
  CatalogOptions options;
  options.logistic_samples = 500;
  options.logistic_parameters = 4;
  options.mvn_samples = 100;
  options.mvn_dimension = 3;
  options.probit_samples = 300;
  options.probit_parameters = 3;
  options.poisson_samples = 300;
  options.poisson_parameters = 3;
  options.regression_samples = 200;
  options.regression_parameters = 3;
  options.softmax_samples = 300;
  options.softmax_parameters = 3;
  options.softmax_classes = 3;
  for (const std::string& name : CatalogProblemNames()) {
    std::string error;
    auto problem = MakeCatalogProblem(name, options, &error);
    ASSERT_NE(problem, nullptr) << error;
    EXPECT_EQ(problem->start.size(), problem->model->NumParameters());
    EXPECT_TRUE(problem->start.isZero(0.0));
    EXPECT_EQ(problem->true_parameters.size(), problem->model->NumParameters());
  }
}

TEST(ProblemCatalogTest, MvnHasClosedFormOptimumLogisticDoesNot) {
  std::string error;
  EXPECT_TRUE(MakeCatalogProblem("mvn", CatalogOptions(), &error)
                  ->closed_form_optimum.has_value());
  EXPECT_FALSE(MakeCatalogProblem("logistic", CatalogOptions(), &error)
                   ->closed_form_optimum.has_value());
}

TEST(ProblemCatalogTest, GaussianRegressionOptimumHasZeroGradient) {
  std::string error;
  auto problem =
      MakeCatalogProblem("gaussian-regression", CatalogOptions(), &error);
  ASSERT_NE(problem, nullptr) << error;
  ASSERT_TRUE(problem->closed_form_optimum.has_value());
  EXPECT_EQ(problem->model->NumParameters(), 11);
  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(problem->model->Evaluate(*problem->closed_form_optimum, &value,
                                       &gradient));
  EXPECT_LT(gradient.lpNorm<Eigen::Infinity>(), 1e-9);
  // σ̂ ≈ the true 0.5 (N = 5000: relative standard error 1/√(2N) = 1%).
  EXPECT_NEAR(std::exp((*problem->closed_form_optimum)[10]), 0.5, 0.02);
  EXPECT_FALSE(MakeCatalogProblem("probit", CatalogOptions(), &error)
                   ->closed_form_optimum.has_value());
}

TEST(ProblemCatalogTest, SameSeedSameData) {
  std::string error;
  auto a = MakeCatalogProblem("logistic", CatalogOptions(), &error);
  auto b = MakeCatalogProblem("logistic", CatalogOptions(), &error);
  EXPECT_EQ(a->model->ObservedResponses(), b->model->ObservedResponses());
  EXPECT_EQ(a->true_parameters, b->true_parameters);
}

TEST(ProblemCatalogTest, UnknownNameListsKnownProblems) {
  std::string error;
  EXPECT_EQ(MakeCatalogProblem("quadratic", CatalogOptions(), &error), nullptr);
  EXPECT_EQ(error,
            "unknown problem 'quadratic'; known problems: logistic mvn "
            "probit poisson gaussian-regression softmax nist-<Name> (with a "
            "NIST folder)");
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(ProblemCatalogTest, NistProblemsComeFromTheNistFolder) {
  CatalogOptions options;
  std::string error;
  EXPECT_EQ(MakeCatalogProblem("nist-Misra1a", options, &error), nullptr);
  EXPECT_EQ(error,
            "nist-Misra1a: NIST problems need the folder of the .dat files "
            "(CatalogOptions::nist_directory, --nist-dir)");
  options.nist_directory = FISHEROPT_NIST_DIR;
  auto problem = MakeCatalogProblem("nist-Misra1a", options, &error);
  ASSERT_NE(problem, nullptr) << error;
  // NIST's start 1 for Misra1a is (500, 1e-4); the certified optimum is the
  // reference (Misra1a.dat: b1 = 2.3894212918E+02, b2 = 5.5015643181E-04).
  EXPECT_EQ(problem->start, Eigen::Vector2d(500.0, 1e-4));
  EXPECT_EQ(problem->optimum_source, "NIST certified values");
  EXPECT_NEAR((*problem->closed_form_optimum)[0], 2.3894212918E+02, 1e-9);
  EXPECT_NEAR((*problem->closed_form_optimum)[1], 5.5015643181E-04, 1e-15);
}

// The catalog problem `fisheropt compare --problem softmax` runs: Newton from
// θ = 0 (as compare's reference) converges, and the MLE lies within a few
// standard errors (√diag F⁻¹) of the parameters the data came from.
TEST(SoftmaxCatalogTest, NewtonReferenceConvergesNearTheTruth) {
  std::string error;
  auto problem = MakeCatalogProblem("softmax", CatalogOptions(), &error);
  ASSERT_NE(problem, nullptr) << error;
  EXPECT_EQ(problem->model->NumParameters(), 15);  // p = 5, K = 4
  EXPECT_FALSE(problem->closed_form_optimum.has_value());
  SolverOptions options;
  options.curvature.type = CurvatureType::kHessian;
  options.stopping.function_tolerance = 0.0;
  options.stopping.parameter_tolerance = 1e-15;
  options.stopping.gradient_tolerance = 1e-11;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  EXPECT_LE(summary.num_iterations(), 12);
  Eigen::MatrixXd fisher;
  problem->model->ExpectedFisher(theta, &fisher);
  const Eigen::VectorXd standard_errors =
      fisher.llt()
          .solve(Eigen::MatrixXd::Identity(15, 15))
          .diagonal()
          .cwiseSqrt();
  EXPECT_LT(
      ((theta - problem->true_parameters).array() / standard_errors.array())
          .abs()
          .maxCoeff(),
      4.0)
      << theta.transpose() << "\n"
      << problem->true_parameters.transpose();
}

}  // namespace
}  // namespace fisheropt
