// The KL trust region (optim/kl_trust_region.h), alone and inside the
// solver: convergence from the catalog starts, the invariants it promises
// (every step within δ, never uphill), the radius rule, and its failure
// message.

#include "optim/kl_trust_region.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/optim/double_well.h"
#include "tests/optim/solver_test_problems.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::Options;
using testing::Problem;
using testing::RelativeError;

// Every accepted step of the KL trust region stays in the region, and none
// goes uphill.
void ExpectStepsRespectTheRegion(const SolverSummary& summary) {
  for (size_t i = 1; i < summary.iterations.size(); ++i) {
    const IterationSummary& it = summary.iterations[i];
    EXPECT_GT(it.trust_region_radius, 0.0) << "iteration " << i;
    EXPECT_LE(it.quadratic_form, it.trust_region_radius * (1.0 + 1e-12))
        << "iteration " << i;
    EXPECT_GE(it.cost_change, -1e-12 * std::abs(it.cost)) << "iteration " << i;
  }
}

TEST(KlTrustRegionTest, FixesTheNaturalGradientOvershootOnMvn) {
  // The default catalog MVN (d = 5, N = 5000) from θ = 0 (Σ = I), where the
  // fixed-rate natural gradient overshoots by ~1e4 nats (README).
  auto problem = Problem("mvn", CatalogOptions());
  SolverSummary fixed, kl;
  Eigen::VectorXd theta_fixed = problem->start;
  Solve(Options(CurvatureType::kExpectedFisher, StepControlType::kFixedStep),
        *problem->model, &theta_fixed, &fixed);
  Eigen::VectorXd theta = problem->start;
  Solve(
      Options(CurvatureType::kExpectedFisher, StepControlType::kKlTrustRegion),
      *problem->model, &theta, &kl);
  ASSERT_EQ(kl.termination_type, TerminationType::kConvergence)
      << kl.FullReport();
  EXPECT_EQ(kl.solver, "natural-gradient-kl");
  EXPECT_LT(RelativeError(theta, *problem->closed_form_optimum), 1e-8);
  // The fixed rate's first step moves the model by thousands of nats and
  // raises L; the KL region keeps the first step within δ₀ = 1 nat.
  EXPECT_GT(fixed.iterations[1].quadratic_form, 1e3);
  EXPECT_LE(kl.iterations[1].quadratic_form, 1.0 * (1.0 + 1e-12));
  // The fixed rate, undamped, diverges: its L rises by orders of magnitude
  // and the solve ends without converging, where the KL region converges.
  EXPECT_NE(fixed.termination_type, TerminationType::kConvergence)
      << fixed.FullReport();
  EXPECT_GT(fixed.final_cost, 1e3 * fixed.initial_cost);
  EXPECT_EQ(kl.num_iterations(), 14);  // deterministic
  ExpectStepsRespectTheRegion(kl);
}

TEST(KlTrustRegionTest, RadiusFollowsTheGainRatio) {
  auto problem = Problem("mvn");
  SolverOptions options =
      Options(CurvatureType::kExpectedFisher, StepControlType::kKlTrustRegion);
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  ExpectStepsRespectTheRegion(summary);
  const KlTrustRegionOptions& kl = options.kl_trust_region;
  int grown = 0;
  for (size_t i = 1; i + 1 < summary.iterations.size(); ++i) {
    const IterationSummary& it = summary.iterations[i];
    const IterationSummary& next = summary.iterations[i + 1];
    const bool at_boundary =
        it.quadratic_form >= it.trust_region_radius * (1.0 - 1e-12);
    if (it.gain_ratio > kl.good_gain_ratio && at_boundary &&
        next.line_search_evaluations == 1) {
      // A good step at the boundary quadruples δ (doubles the C-length).
      EXPECT_DOUBLE_EQ(next.trust_region_radius,
                       kl.growth_factor * it.trust_region_radius)
          << "iteration " << i;
      ++grown;
    }
  }
  EXPECT_GE(grown, 3);
  // Once inside the region near the optimum, the full Fisher step is taken.
  EXPECT_EQ(summary.iterations.back().step_size, 1.0);
}

TEST(KlTrustRegionTest, PoorGainRatioShrinksTheRadiusAndRetries) {
  // A tiny region around a 1-D quadratic with a huge δ₀: the full step of a
  // wrong curvature (C = 0.01 × the true one) overshoots, ρ < 0, δ shrinks to
  // ¼ of the step's quadratic form and the step is retried.
  class Quadratic final : public Objective {
   public:
    int NumParameters() const override { return 1; }
    bool Evaluate(const Eigen::VectorXd& t, double* value,
                  Eigen::VectorXd* gradient) const override {
      *value = 0.5 * t[0] * t[0];
      if (gradient != nullptr) *gradient = t;
      return true;
    }
  } objective;
  class TooFlat final : public Curvature {
   public:
    CurvatureType type() const override {
      return CurvatureType::kExpectedFisher;
    }

   private:
    bool DoCompute(const Eigen::VectorXd&, Eigen::MatrixXd* c) override {
      *c = Eigen::MatrixXd::Constant(1, 1, 0.01);
      return true;
    }
  } curvature;
  KlTrustRegionOptions options;
  options.initial_radius = 1e6;
  TrustRegionStep step(
      StepControlType::kKlTrustRegion,
      std::make_unique<KlTrustRegionStrategy>(options, LinearSolverOptions()),
      options.min_gain_ratio, options.max_consecutive_rejections);
  CountedObjective counted(objective);
  SolverPoint current;
  current.theta = Eigen::VectorXd::Constant(1, 1.0);
  current.value = 0.5;
  current.gradient = current.theta;
  const Eigen::MatrixXd c = Eigen::MatrixXd::Constant(1, 1, 0.01);
  StepResult result;
  std::string message;
  ASSERT_TRUE(step.ComputeStep(current, CurvatureOperator(c), &counted, &result,
                               &message))
      << message;
  // d = −100, q(d) = ½ · 0.01 · 100² = 50. Each rejected trial has ρ < 0
  // and sets δ ← ¼ q(s), halving α: α = 1, ½, ¼, ..., L(θ + αd) > ½ down to
  // α = 1/32 (θ = −2.125). At α = 1/64: θ = −0.5625, L = 0.1582, predicted
  // decrease 1.5625 − 50/4096 = 1.5503, ρ = 0.3418/1.5503 = 0.2205: accepted
  // (> 1e-3) but poor (< ¼), so δ shrinks once more for the next step.
  EXPECT_EQ(result.line_search_evaluations, 7);
  EXPECT_DOUBLE_EQ(result.step_size, 1.0 / 64.0);
  EXPECT_DOUBLE_EQ(result.next.theta[0], 1.0 - 100.0 / 64.0);
  EXPECT_NEAR(result.gain_ratio,
              (0.5 - 0.5 * 0.5625 * 0.5625) / (100.0 / 64.0 - 50.0 / 4096.0),
              1e-14);
  EXPECT_DOUBLE_EQ(result.trust_region_radius, 50.0 / 4096.0);
  EXPECT_DOUBLE_EQ(step.radius(), 0.25 * 50.0 / 4096.0);
  EXPECT_LE(result.quadratic_form, result.trust_region_radius);
}

TEST(KlTrustRegionTest, EveryCurvatureConvergesOnLogisticAndMvn) {
  for (const std::string name : {"logistic", "mvn"}) {
    auto problem = Problem(name);
    for (CurvatureType curvature :
         {CurvatureType::kHessian, CurvatureType::kExpectedFisher,
          CurvatureType::kEmpiricalFisher, CurvatureType::kMonteCarloFisher}) {
      Eigen::VectorXd theta = problem->start;
      SolverSummary summary;
      Solve(Options(curvature, StepControlType::kKlTrustRegion),
            *problem->model, &theta, &summary);
      EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
          << name << " " << ToString(curvature) << ": " << summary.message;
      ExpectStepsRespectTheRegion(summary);
    }
  }
}

// Finite only at x = 0 (the start; |x| ≤ 1e-300): every trial step of the
// region leaves the domain, however small δ becomes.
class Cliff final : public Objective {
 public:
  int NumParameters() const override { return 1; }
  bool Evaluate(const Eigen::VectorXd& t, double* value,
                Eigen::VectorXd* gradient) const override {
    if (std::abs(t[0]) > 1e-300) return false;
    *value = t[0];
    if (gradient != nullptr) *gradient = Eigen::VectorXd::Ones(1);
    return true;
  }
};

class UnitCurvature final : public Curvature {
 public:
  CurvatureType type() const override { return CurvatureType::kExpectedFisher; }

 private:
  bool DoCompute(const Eigen::VectorXd&, Eigen::MatrixXd* c) override {
    *c = Eigen::MatrixXd::Identity(1, 1);
    return true;
  }
};

TEST(KlTrustRegionTest, RepeatedInvalidStepsEndInAFailureThatSaysSo) {
  const Cliff objective;
  UnitCurvature curvature;
  SolverOptions options =
      Options(CurvatureType::kExpectedFisher, StepControlType::kKlTrustRegion);
  options.kl_trust_region.max_consecutive_rejections = 5;
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(1);
  SolverSummary summary;
  Solve(options, objective, &curvature, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kFailure);
  // d = −1, ½d² = ½ ≤ δ₀ = 1: the full step, then δ ← ¼ · ½s² per
  // non-finite trial; five of them end the step and the solve.
  EXPECT_EQ(summary.message.rfind("Step failed: KL trust region rejected 5 "
                                  "trial steps in a row (radius reached ",
                                  0),
            0u)
      << summary.message;
  EXPECT_EQ(theta[0], 0.0);  // the last good point
  EXPECT_EQ(summary.num_cost_evaluations, 6);
}

}  // namespace
}  // namespace fisheropt
