// Faults injected through small objectives and curvatures: the solver must
// never accept a non-finite point, never loop forever, and always leave θ at
// the last good point with a termination type and message that say why.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "optim/newton_solver.h"

namespace fisheropt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// f(x) = x − log x: minimum at x = 1, undefined (NaN) for x ≤ 0. From x = 5
// the Newton step is −f'/f'' = −20, far outside the domain.
class LogBarrier final : public Objective {
 public:
  int NumParameters() const override { return 1; }
  bool Evaluate(const Eigen::VectorXd& x, double* value,
                Eigen::VectorXd* gradient) const override {
    *value = x[0] > 0 ? x[0] - std::log(x[0]) : kNaN;
    if (gradient != nullptr) {
      *gradient = Eigen::VectorXd::Constant(1, 1.0 - 1.0 / x[0]);
    }
    return std::isfinite(*value);
  }
};

// The exact Hessian 1/x², optionally returning NaN from a given call on.
class LogBarrierHessian final : public Curvature {
 public:
  explicit LogBarrierHessian(int poison_from_call = 1 << 30)
      : poison_from_call_(poison_from_call) {}
  CurvatureType type() const override { return CurvatureType::kHessian; }
  int calls() const { return calls_; }

 private:
  bool DoCompute(const Eigen::VectorXd& x, Eigen::MatrixXd* c) override {
    ++calls_;
    *c = Eigen::MatrixXd::Constant(1, 1, 1.0 / (x[0] * x[0]));
    if (calls_ >= poison_from_call_) (*c)(0, 0) = kNaN;
    return true;
  }
  int poison_from_call_;
  int calls_ = 0;
};

SolverOptions Options(StepControlType step) {
  SolverOptions options;
  options.step_control = step;
  options.fixed_step.learning_rate = 1.0;
  options.stopping.function_tolerance = 1e-15;
  options.stopping.gradient_tolerance = 1e-12;
  return options;
}

TEST(SolverFaultsTest, NonFiniteTrialPointsAreRejectedAndShortened) {
  for (StepControlType step :
       {StepControlType::kLineSearch, StepControlType::kLevenbergMarquardt,
        StepControlType::kFixedStep}) {
    const LogBarrier objective;
    LogBarrierHessian hessian;
    Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 5.0);
    SolverSummary summary;
    Solve(Options(step), objective, &hessian, &x, &summary);
    EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
        << ToString(step) << ": " << summary.message;
    EXPECT_NEAR(x[0], 1.0, 1e-8) << ToString(step);
    // The first step needed more than one trial: the full step left the
    // domain. Every recorded point is finite.
    EXPECT_GT(summary.iterations[1].line_search_evaluations, 1)
        << ToString(step);
    for (const IterationSummary& it : summary.iterations) {
      EXPECT_TRUE(std::isfinite(it.cost)) << ToString(step);
    }
  }
}

TEST(SolverFaultsTest, NonFiniteCurvatureFailsAtTheLastGoodPoint) {
  const LogBarrier objective;
  LogBarrierHessian hessian(/*poison_from_call=*/3);
  Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 5.0);
  SolverSummary summary;
  Solve(Options(StepControlType::kLineSearch), objective, &hessian, &x,
        &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "Curvature failed: hessian has non-finite entries at this point");
  EXPECT_EQ(summary.num_iterations(), 2);
  EXPECT_EQ(hessian.calls(), 3);
  // θ is the point after iteration 2, where the cost was recorded.
  double value = 0.0;
  objective.Evaluate(x, &value, nullptr);
  EXPECT_EQ(value, summary.iterations[2].cost);
  EXPECT_EQ(value, summary.final_cost);
}

// A curvature whose Cholesky fails for every shift: the retry budget ends it.
class InfiniteCurvature final : public Curvature {
 public:
  CurvatureType type() const override { return CurvatureType::kHessian; }

 private:
  bool DoCompute(const Eigen::VectorXd&, Eigen::MatrixXd* c) override {
    *c = Eigen::MatrixXd::Constant(1, 1, -std::numeric_limits<double>::max());
    return true;
  }
};

TEST(SolverFaultsTest, UnfactorizableCurvatureEndsAfterBoundedRetries) {
  const LogBarrier objective;
  InfiniteCurvature curvature;
  Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 5.0);
  SolverSummary summary;
  SolverOptions options = Options(StepControlType::kLineSearch);
  Solve(options, objective, &curvature, &x, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  EXPECT_EQ(summary.message,
            "Step failed: the curvature could not be made positive definite "
            "by any shift in the retry budget");
  EXPECT_EQ(summary.num_linear_solves,
            options.linear_solver.max_shift_retries + 2);
  EXPECT_EQ(x[0], 5.0);  // never moved
}

// Finite only at the start point: every trial step is outside the domain.
class FiniteOnlyAtStart final : public Objective {
 public:
  int NumParameters() const override { return 1; }
  bool Evaluate(const Eigen::VectorXd& x, double* value,
                Eigen::VectorXd* gradient) const override {
    *value = x[0] == 5.0 ? 1.0 : kNaN;
    if (gradient != nullptr) *gradient = Eigen::VectorXd::Constant(1, 1.0);
    return x[0] == 5.0;
  }
};

TEST(SolverFaultsTest, EveryStepControlGivesUpWithinItsBudget) {
  for (StepControlType step :
       {StepControlType::kLineSearch, StepControlType::kLevenbergMarquardt,
        StepControlType::kFixedStep}) {
    const FiniteOnlyAtStart objective;
    LogBarrierHessian hessian;
    Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 5.0);
    SolverSummary summary;
    const SolverOptions options = Options(step);
    Solve(options, objective, &hessian, &x, &summary);
    EXPECT_EQ(summary.termination_type, TerminationType::kFailure)
        << ToString(step);
    EXPECT_EQ(summary.num_iterations(), 0) << ToString(step);
    EXPECT_EQ(x[0], 5.0) << ToString(step);
    const int budget = step == StepControlType::kLineSearch
                           ? options.line_search.max_evaluations
                       : step == StepControlType::kLevenbergMarquardt
                           ? options.damping.max_consecutive_rejections
                           : options.fixed_step.max_halvings + 1;
    // The start point plus at most the budget of trial points.
    EXPECT_LE(summary.num_cost_evaluations, 1 + budget) << ToString(step);
  }
}

TEST(SolverFaultsTest, TimeLimitStopsCleanlyAtTheLastPoint) {
  const LogBarrier objective;
  LogBarrierHessian hessian;
  Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 5.0);
  SolverOptions options = Options(StepControlType::kLineSearch);
  options.stopping.max_solver_time_in_seconds = 1e-12;
  SolverSummary summary;
  Solve(options, objective, &hessian, &x, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kNoConvergence);
  EXPECT_EQ(summary.message, "Maximum solver time reached.");
  EXPECT_EQ(summary.num_iterations(), 0);
  EXPECT_EQ(x[0], 5.0);
  EXPECT_TRUE(summary.IsSolutionUsable());
}

}  // namespace
}  // namespace fisheropt
