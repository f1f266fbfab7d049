#include "optim/baselines/ceres_trust_region_solver.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optim/newton_solver.h"
#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "tests/problems/nist_test_utilities.h"

namespace fisheropt {
namespace {

StoppingOptions Tight() {
  StoppingOptions stopping;
  stopping.max_iterations = 1000;
  stopping.function_tolerance = 1e-15;
  stopping.gradient_tolerance = 1e-15;
  stopping.parameter_tolerance = 1e-15;
  return stopping;
}

std::unique_ptr<NonlinearRegressionModel> LoadModel(const std::string& name,
                                                    NistDataset* data) {
  std::string error;
  EXPECT_TRUE(ReadNistDataset(testing::NistFile(name), data, &error)) << error;
  auto model = CreateNistModel(*data, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

double MaxRelativeDifference(const Eigen::VectorXd& a,
                             const Eigen::VectorXd& b) {
  return ((a - b).array().abs() / b.array().abs()).maxCoeff();
}

// Ceres' Levenberg–Marquardt and our Gauss–Newton (expected Fisher = JᵀJ)
// with Levenberg–Marquardt damping reach the same minimizer of Misra1a from
// NIST's far start 1, to 1e-8 relative, and both match NIST's certified
// values (given to 11 digits) to 1e-8 relative.
TEST(CeresTrustRegionSolverTest, CeresLmAndOurGaussNewtonLmAgreeOnMisra1a) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  auto model = LoadModel("Misra1a", &data);
  ASSERT_NE(model, nullptr);

  CeresTrustRegionSolverOptions ceres_options;
  ceres_options.stopping = Tight();
  Eigen::VectorXd ceres_theta = data.starts[0];
  SolverSummary ceres_summary;
  SolveWithCeresTrustRegion(ceres_options, *model, &ceres_theta,
                            &ceres_summary);
  ASSERT_TRUE(ceres_summary.IsSolutionUsable()) << ceres_summary.message;
  EXPECT_EQ(ceres_summary.solver, "ceres-lm");

  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.step_control = StepControlType::kLevenbergMarquardt;
  options.stopping = Tight();
  Eigen::VectorXd ours = data.starts[0];
  SolverSummary our_summary;
  Solve(options, *model, &ours, &our_summary);
  ASSERT_TRUE(our_summary.IsSolutionUsable()) << our_summary.message;

  EXPECT_LT(MaxRelativeDifference(ours, ceres_theta), 1e-8)
      << "ours " << ours.transpose() << " ceres " << ceres_theta.transpose();
  EXPECT_LT(MaxRelativeDifference(ceres_theta, data.certified_values), 1e-8);
  // The same cost on the same scale: Ceres' ½Σr² is our L.
  double start_value = 0.0, final_value = 0.0;
  ASSERT_TRUE(model->Evaluate(data.starts[0], &start_value, nullptr));
  ASSERT_TRUE(model->Evaluate(ceres_theta, &final_value, nullptr));
  EXPECT_DOUBLE_EQ(ceres_summary.initial_cost, start_value);
  EXPECT_DOUBLE_EQ(ceres_summary.final_cost, final_value);
  EXPECT_NEAR(2.0 * our_summary.final_cost,
              data.certified_residual_sum_of_squares,
              1e-9 * data.certified_residual_sum_of_squares);
}

// Dogleg from start 2 of a harder problem (Rat43, 4 parameters) reaches the
// certified values to at least 6 significant digits.
TEST(CeresTrustRegionSolverTest, DoglegSolvesRat43FromStart2) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  auto model = LoadModel("Rat43", &data);
  ASSERT_NE(model, nullptr);
  CeresTrustRegionSolverOptions options;
  options.strategy = CeresTrustRegionStrategy::kDogleg;
  options.stopping = Tight();
  Eigen::VectorXd theta = data.starts[1];
  SolverSummary summary;
  SolveWithCeresTrustRegion(options, *model, &theta, &summary);
  ASSERT_TRUE(summary.IsSolutionUsable()) << summary.message;
  EXPECT_EQ(summary.solver, "ceres-dogleg");
  EXPECT_EQ(summary.step_control, "dogleg");
  EXPECT_LT(MaxRelativeDifference(theta, data.certified_values), 1e-6);
  // Only accepted steps are records: every one after the start decreased L.
  ASSERT_GT(summary.num_iterations(), 0);
  for (size_t k = 1; k < summary.iterations.size(); ++k) {
    EXPECT_TRUE(summary.iterations[k].step_is_successful);
    EXPECT_GT(summary.iterations[k].cost_change, 0.0);
  }
}

TEST(CeresTrustRegionSolverTest, InvalidOptionsAndShapesAreReported) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  auto model = LoadModel("Misra1a", &data);
  ASSERT_NE(model, nullptr);
  CeresTrustRegionSolverOptions options;
  options.initial_trust_region_radius = -1.0;
  Eigen::VectorXd theta = data.starts[0];
  SolverSummary summary;
  SolveWithCeresTrustRegion(options, *model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "Invalid options: CeresTrustRegionSolverOptions::"
            "initial_trust_region_radius = -1 must be > 0 and finite");
  options = CeresTrustRegionSolverOptions();
  Eigen::VectorXd wrong(3);
  wrong.setOnes();
  SolveWithCeresTrustRegion(options, *model, &wrong, &summary);
  EXPECT_EQ(summary.message,
            "The start point has 3 parameters; the problem has 2");
}

}  // namespace
}  // namespace fisheropt
