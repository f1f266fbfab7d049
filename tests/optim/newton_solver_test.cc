#include "optim/newton_solver.h"

#include <gtest/gtest.h>

#include <cmath>

#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/problem_catalog.h"
#include "tests/optim/double_well.h"
#include "tests/optim/solver_test_problems.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::Options;
using testing::Problem;
using testing::RelativeError;
using testing::TightOptions;

// Every curvature × step control from the same start reaches the MVN's
// closed-form MLE (sample mean, covariance divided by N).
class MvnConvergenceTest : public ::testing::TestWithParam<
                               std::tuple<CurvatureType, StepControlType>> {};

TEST_P(MvnConvergenceTest, ReachesClosedFormMle) {
  auto problem = Problem("mvn");
  const auto [curvature, step] = GetParam();
  SolverOptions options = TightOptions(curvature, step);
  // The approximate curvatures converge linearly: stop on the gradient only.
  options.stopping.function_tolerance = 0.0;
  Eigen::VectorXd theta = problem->start;
  if (step == StepControlType::kFixedStep) {
    // A fixed rate has no globalization, so it converges only locally: from
    // Σ = I its first steps overshoot by thousands of nats (see the README).
    // Start it from the parameters the data came from instead.
    theta = problem->true_parameters;
  }
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_TRUE(summary.IsSolutionUsable()) << summary.FullReport();
  EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  EXPECT_LT(RelativeError(theta, *problem->closed_form_optimum), 1e-8)
      << summary.FullReport();
  // The moments themselves, as a user reads them.
  const auto& mvn =
      static_cast<const MultivariateNormalModel&>(*problem->model);
  const Eigen::MatrixXd mle_covariance =
      mvn.Covariance(*problem->closed_form_optimum);
  EXPECT_LT(RelativeError(mvn.Covariance(theta), mle_covariance), 1e-8);
}

std::string ParamName(
    const ::testing::TestParamInfo<std::tuple<CurvatureType, StepControlType>>&
        info) {
  return ToString(std::get<0>(info.param)) + "_" +
         ToString(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(
    AllCurvaturesAndStepControls, MvnConvergenceTest,
    ::testing::Combine(::testing::Values(CurvatureType::kHessian,
                                         CurvatureType::kExpectedFisher,
                                         CurvatureType::kEmpiricalFisher,
                                         CurvatureType::kMonteCarloFisher),
                       ::testing::Values(StepControlType::kLineSearch,
                                         StepControlType::kLevenbergMarquardt,
                                         StepControlType::kFixedStep,
                                         StepControlType::kKlTrustRegion)),
    ParamName);

TEST(NewtonSolverTest, LogisticNewtonAndFisherScoringTakeIdenticalIterates) {
  // Canonical link: Hessian ≡ expected Fisher, so the two methods are the
  // same algorithm and must produce bit-identical iterates.
  auto problem = Problem("logistic");
  SolverSummary newton, scoring;
  Eigen::VectorXd theta_newton = problem->start;
  Eigen::VectorXd theta_scoring = problem->start;
  Solve(TightOptions(CurvatureType::kHessian, StepControlType::kLineSearch),
        *problem->model, &theta_newton, &newton);
  Solve(TightOptions(CurvatureType::kExpectedFisher,
                     StepControlType::kLineSearch),
        *problem->model, &theta_scoring, &scoring);
  ASSERT_EQ(newton.iterations.size(), scoring.iterations.size());
  for (size_t i = 0; i < newton.iterations.size(); ++i) {
    EXPECT_EQ(newton.iterations[i].cost, scoring.iterations[i].cost);
    EXPECT_EQ(newton.iterations[i].step_norm, scoring.iterations[i].step_norm);
  }
  EXPECT_EQ(theta_newton, theta_scoring);
  EXPECT_EQ(newton.solver, "newton");
  EXPECT_EQ(scoring.solver, "fisher-scoring");
}

TEST(NewtonSolverTest, LogisticFisherScoringPinnedCounts) {
  // Deterministic data and start: Newton's quadratic convergence from β = 0
  // takes the full step at each of the six iterations that make progress
  // (one evaluation, one factorization, no shift each). What happens after
  // them is rounding (the last accepted step changes L by less than its
  // resolution), which differs between builds, so it is not pinned.
  auto problem = Problem("logistic");
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(TightOptions(CurvatureType::kExpectedFisher,
                     StepControlType::kLineSearch),
        *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kConvergence);
  ASSERT_GE(summary.num_iterations(), 6);
  EXPECT_LE(summary.num_iterations(), 8);
  EXPECT_EQ(summary.num_curvature_evaluations, summary.num_iterations());
  const auto& it = summary.iterations;
  for (int i = 1; i <= 6; ++i) {
    EXPECT_EQ(it[i].step_size, 1.0) << i;
    EXPECT_EQ(it[i].damping, 0.0) << i;
    EXPECT_EQ(it[i].line_search_evaluations, 1) << i;
    EXPECT_GT(it[i].cost_change, 0.0) << i;
  }
  for (size_t i = 7; i < it.size(); ++i) EXPECT_GE(it[i].cost_change, 0.0);
  // Quadratic convergence: ‖g_{k+1}‖ ≤ c ‖g_k‖² (c ≈ 4e-3 on this problem)
  // once in the basin, down to the rounding floor of the summed gradient.
  for (int k = 4; k <= 5; ++k) {
    EXPECT_LT(it[k + 1].gradient_max_norm,
              1e-2 * it[k].gradient_max_norm * it[k].gradient_max_norm)
        << "iteration " << k;
  }
  EXPECT_LT(it.back().gradient_max_norm, 1e-8);
}

TEST(NewtonSolverTest, NaturalGradientContractsByTheLearningRate) {
  // Near the optimum the natural gradient with rate η multiplies the error
  // by (1 − η) per iteration (Fisher = Hessian here): the cost gap shrinks
  // by (1 − η)² = 1/4 per iteration at η = 0.5.
  auto problem = Problem("logistic");
  Eigen::VectorXd reference = problem->start;
  SolverSummary summary;
  Solve(TightOptions(CurvatureType::kHessian, StepControlType::kLineSearch),
        *problem->model, &reference, &summary);
  const double optimum = summary.final_cost;

  Eigen::VectorXd theta = problem->start;
  SolverOptions options =
      TightOptions(CurvatureType::kExpectedFisher, StepControlType::kFixedStep);
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  EXPECT_EQ(summary.solver, "natural-gradient");
  const auto& it = summary.iterations;
  const double ratio = (it[12].cost - optimum) / (it[11].cost - optimum);
  EXPECT_NEAR(ratio, 0.25, 0.02);
  EXPECT_LT(RelativeError(theta, reference), 1e-7);
}

// Callbacks decide: they can end the solve either way.
class StopAfter final : public IterationCallback {
 public:
  StopAfter(int iteration, CallbackReturnType action)
      : iteration_(iteration), action_(action) {}
  CallbackReturnType operator()(const IterationSummary& summary) override {
    seen_.push_back(summary.iteration);
    return summary.iteration == iteration_ ? action_
                                           : CallbackReturnType::kContinue;
  }
  std::vector<int> seen_;

 private:
  int iteration_;
  CallbackReturnType action_;
};

TEST(NewtonSolverTest, CallbacksCanStopTheSolve) {
  auto problem = Problem("logistic");
  for (auto action : {CallbackReturnType::kAbort,
                      CallbackReturnType::kTerminateSuccessfully}) {
    StopAfter callback(2, action);
    SolverOptions options;
    options.callbacks.push_back(&callback);
    Eigen::VectorXd theta = problem->start;
    SolverSummary summary;
    Solve(options, *problem->model, &theta, &summary);
    EXPECT_EQ(callback.seen_, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(summary.num_iterations(), 2);
    EXPECT_EQ(summary.termination_type, action == CallbackReturnType::kAbort
                                            ? TerminationType::kUserFailure
                                            : TerminationType::kUserSuccess);
    double value = 0.0;
    problem->model->Evaluate(theta, &value, nullptr);
    EXPECT_EQ(value, summary.final_cost);  // θ is the reported point
  }
}

TEST(NewtonSolverTest, IterationLimitIsNoConvergenceAtTheLastPoint) {
  auto problem = Problem("logistic");
  SolverOptions options;
  options.stopping.max_iterations = 2;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kNoConvergence);
  EXPECT_EQ(summary.message, "Maximum number of iterations reached.");
  EXPECT_EQ(summary.num_iterations(), 2);
  EXPECT_TRUE(summary.IsSolutionUsable());
}

TEST(NewtonSolverTest, InvalidOptionsFailBeforeAnyEvaluation) {
  auto problem = Problem("logistic");
  SolverOptions options;
  options.line_search.max_evaluations = 0;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "Invalid options: LineSearchOptions::max_evaluations = 0 must be "
            ">= 1");
  EXPECT_EQ(summary.num_cost_evaluations, 0);
  EXPECT_TRUE(theta.isZero(0.0));
}

TEST(NewtonSolverTest, WrongStartDimensionIsAClearFailure) {
  auto problem = Problem("logistic");
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(3);
  SolverSummary summary;
  Solve(SolverOptions(), *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "The start point has 3 parameters; the objective has 6");
}

TEST(NewtonSolverTest, NonFiniteStartIsAClearFailure) {
  auto problem = Problem("logistic");
  Eigen::VectorXd theta = problem->start;
  theta[1] = std::nan("");
  SolverSummary summary;
  Solve(SolverOptions(), *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "The objective or its gradient is not finite at the start point.");
}

using testing::DoubleWell;
using testing::DoubleWellHessian;

TEST(NewtonSolverTest, IndefiniteHessianNeverStepsUphill) {
  for (StepControlType step :
       {StepControlType::kLineSearch, StepControlType::kLevenbergMarquardt}) {
    const DoubleWell objective;
    DoubleWellHessian hessian;
    SolverOptions options = TightOptions(CurvatureType::kHessian, step);
    Eigen::VectorXd theta = Eigen::Vector2d(0.1, 1.0);  // indefinite here
    SolverSummary summary;
    Solve(options, objective, &hessian, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.FullReport();
    EXPECT_NEAR(theta[0], 1.0, 1e-10);  // a minimum, not the saddle
    EXPECT_NEAR(theta[1], 0.0, 1e-10);
    for (size_t i = 1; i < summary.iterations.size(); ++i) {
      EXPECT_GE(summary.iterations[i].cost_change, 0.0);
    }
    if (step == StepControlType::kLineSearch) {
      EXPECT_GT(summary.iterations[1].damping, 0.0);  // the shift was needed
    }
  }
}

TEST(NewtonSolverTest, ReportsExplainThemselves) {
  auto problem = Problem("logistic");
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  EXPECT_EQ(summary.message, "Not run.");
  Solve(SolverOptions(), *problem->model, &theta, &summary);
  const std::string brief = summary.BriefReport();
  EXPECT_NE(brief.find("fisher-scoring (expected_fisher + line_search)"),
            std::string::npos)
      << brief;
  EXPECT_NE(brief.find("CONVERGENCE"), std::string::npos);
  const std::string full = summary.FullReport();
  EXPECT_NE(full.find("curvature evaluations"), std::string::npos);
  EXPECT_NE(full.find("Termination: CONVERGENCE"), std::string::npos);
}

TEST(IndefiniteCurvatureTest, NewStepControlsNeverStepUphill) {
  struct Case {
    const char* name;
    StepControlType step;
    LineSearchType line_search;
    LinearSolverType linear_solver;
  };
  for (const Case& c :
       {Case{"wolfe", StepControlType::kLineSearch, LineSearchType::kWolfe,
             LinearSolverType::kCholesky},
        Case{"kl", StepControlType::kKlTrustRegion, LineSearchType::kArmijo,
             LinearSolverType::kCholesky},
        Case{"cg-armijo", StepControlType::kLineSearch, LineSearchType::kArmijo,
             LinearSolverType::kConjugateGradient},
        Case{"cg-wolfe", StepControlType::kLineSearch, LineSearchType::kWolfe,
             LinearSolverType::kConjugateGradient},
        Case{"cg-kl", StepControlType::kKlTrustRegion, LineSearchType::kArmijo,
             LinearSolverType::kConjugateGradient},
        Case{"cg-lm", StepControlType::kLevenbergMarquardt,
             LineSearchType::kArmijo, LinearSolverType::kConjugateGradient}}) {
    const DoubleWell objective;
    DoubleWellHessian hessian;
    SolverOptions options = Options(CurvatureType::kHessian, c.step);
    options.stopping.gradient_tolerance = 1e-10;
    options.line_search.type = c.line_search;
    options.linear_solver.type = c.linear_solver;
    Eigen::VectorXd theta = Eigen::Vector2d(0.1, 1.0);  // indefinite here
    SolverSummary summary;
    Solve(options, objective, &hessian, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << c.name << "\n"
        << summary.FullReport();
    EXPECT_NEAR(std::abs(theta[0]), 1.0, 1e-9) << c.name;  // not the saddle
    EXPECT_NEAR(theta[1], 0.0, 1e-9) << c.name;
    for (size_t i = 1; i < summary.iterations.size(); ++i) {
      EXPECT_GE(summary.iterations[i].cost_change, 0.0)
          << c.name << " iteration " << i;
    }
  }
}

TEST(StoppingTest, TimeLimitIsNoConvergenceWithItsOwnMessage) {
  // A limit below any clock resolution: the check before the first
  // iteration fires, deterministically.
  auto problem = Problem("logistic");
  SolverOptions options =
      Options(CurvatureType::kExpectedFisher, StepControlType::kKlTrustRegion);
  options.stopping.max_solver_time_in_seconds = 1e-300;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kNoConvergence);
  EXPECT_EQ(summary.message, "Maximum solver time reached.");
  EXPECT_EQ(summary.num_iterations(), 0);
  EXPECT_TRUE(summary.IsSolutionUsable());
}

TEST(TruncatedNewtonTest, ConvergesToTheSameLogisticMle) {
  auto problem = Problem("logistic");
  SolverOptions cholesky =
      Options(CurvatureType::kHessian, StepControlType::kLineSearch);
  Eigen::VectorXd reference = problem->start;
  SolverSummary summary;
  Solve(cholesky, *problem->model, &reference, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  for (StepControlType step :
       {StepControlType::kLineSearch, StepControlType::kKlTrustRegion}) {
    SolverOptions options = Options(CurvatureType::kHessian, step);
    options.linear_solver.type = LinearSolverType::kConjugateGradient;
    Eigen::VectorXd theta = problem->start;
    Solve(options, *problem->model, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.FullReport();
    EXPECT_EQ(summary.linear_solver, "conjugate_gradient");
    EXPECT_EQ(summary.num_curvature_evaluations, 0);  // never formed C
    EXPECT_EQ(summary.num_linear_solves, 0);
    EXPECT_GT(summary.num_cg_iterations, 0);
    EXPECT_GE(summary.num_curvature_products, summary.num_cg_iterations);
    EXPECT_LT(RelativeError(theta, reference), 1e-8) << ToString(step);
  }
}

}  // namespace
}  // namespace fisheropt
