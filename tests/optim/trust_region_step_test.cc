// The trust-region loop (optim/trust_region_step.h) with a scripted
// strategy: what it evaluates, when it accepts, when it calls the strategy's
// StepAccepted / StepRejected, the rounding floor (first trial only), the
// rejection budget, and what it reports in StepResult.

#include "optim/trust_region_step.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <vector>

#include "optim/cost_resolution.h"

namespace fisheropt {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// L(x) = ½x² + offset, finite only for |x| ≤ 10.
class Quadratic final : public Objective {
 public:
  explicit Quadratic(double offset = 0.0) : offset_(offset) {}
  int NumParameters() const override { return 1; }
  bool Evaluate(const Eigen::VectorXd& x, double* value,
                Eigen::VectorXd* gradient) const override {
    if (std::abs(x[0]) > 10.0) return false;
    *value = 0.5 * x[0] * x[0] + offset_;
    if (gradient != nullptr) *gradient = x;
    return true;
  }

 private:
  double offset_;
};

// Proposes the trials it is given, in order, and records the calls.
class ScriptedStrategy final : public TrustRegionStrategy {
 public:
  struct Script {
    TrialStatus status = TrialStatus::kStep;
    double step = 0.0;  // d (1-D), with α = step_size
    double step_size = 1.0;
    double predicted_decrease = 0.0;
  };
  explicit ScriptedStrategy(std::deque<Script> script)
      : script_(std::move(script)) {}

  bool BeginStep(const SolverPoint&, const CurvatureOperator&,
                 StepResult* result, std::string*) override {
    if (!std::isnan(full_step_prediction)) {
      result->predicted_decrease = full_step_prediction;
    }
    return true;
  }
  TrialStatus ComputeTrialStep(const SolverPoint&, const CurvatureOperator&,
                               Trial* trial, StepResult*,
                               std::string* message) override {
    const Script next = script_.front();
    script_.pop_front();
    trial->direction = Eigen::VectorXd::Constant(1, next.step);
    trial->step_size = next.step_size;
    trial->predicted_decrease = next.predicted_decrease;
    trial->quadratic_form = 0.25 * next.step * next.step;
    trial->damping = 7.0;
    trial->radius = radius_;
    if (next.status == TrialStatus::kFailure) *message = "scripted failure";
    return next.status;
  }
  void StepAccepted(double gain_ratio) override {
    accepted.push_back(gain_ratio);
  }
  void StepRejected(double gain_ratio) override {
    rejected.push_back(gain_ratio);
    radius_ *= 0.5;
  }
  bool Exhausted(double) const override { return radius_ < min_radius; }
  std::string Name() const override { return "scripted region"; }
  double Radius() const override { return radius_; }

  double full_step_prediction = std::numeric_limits<double>::quiet_NaN();
  double min_radius = 0.0;
  std::vector<double> accepted, rejected;

 private:
  std::deque<Script> script_;
  double radius_ = 1.0;
};

struct StepRun {
  bool stepped = false;
  StepResult result;
  std::string message;
  int evaluations = 0;
};

// One ComputeStep from x = 1 (L = ½ + offset, g = 1).
StepRun ComputeStep(TrustRegionStep* step, double offset = 0.0) {
  const Quadratic objective(offset);
  CountedObjective counted(objective);
  SolverPoint current;
  current.theta = Eigen::VectorXd::Constant(1, 1.0);
  counted.Evaluate(current.theta, &current.value, &current.gradient);
  const Eigen::MatrixXd c = Eigen::MatrixXd::Identity(1, 1);
  StepRun run;
  run.stepped = step->ComputeStep(current, CurvatureOperator(c), &counted,
                                  &run.result, &run.message);
  run.evaluations = counted.num_value_evaluations() - 1;
  return run;
}

using Script = ScriptedStrategy::Script;
using TrialStatus = TrustRegionStrategy::TrialStatus;

TEST(TrustRegionStepTest, AcceptsAGoodFirstTrialAndReportsIt) {
  // s = ½ · (−1): L goes from ½ to ⅛, predicted ½, ρ = 0.75.
  auto strategy = std::make_unique<ScriptedStrategy>(
      std::deque<Script>{{TrialStatus::kStep, -1.0, 0.5, 0.5}});
  ScriptedStrategy& scripted = *strategy;
  TrustRegionStep step(StepControlType::kKlTrustRegion, std::move(strategy),
                       1e-3, 10);
  const StepRun run = ComputeStep(&step);
  ASSERT_TRUE(run.stepped) << run.message;
  EXPECT_EQ(run.evaluations, 1);
  EXPECT_EQ(run.result.line_search_evaluations, 1);
  EXPECT_EQ(run.result.next.theta[0], 0.5);
  EXPECT_EQ(run.result.next.value, 0.125);
  EXPECT_EQ(run.result.gain_ratio, 0.75);
  EXPECT_EQ(run.result.step_size, 0.5);
  EXPECT_EQ(run.result.damping, 7.0);
  EXPECT_EQ(run.result.quadratic_form, 0.25);
  EXPECT_EQ(run.result.trust_region_radius, 1.0);
  EXPECT_EQ(run.result.predicted_decrease, 0.5);
  EXPECT_EQ(run.result.last_trial_step_norm, 0.5);
  EXPECT_EQ(scripted.accepted, std::vector<double>{0.75});
  EXPECT_TRUE(scripted.rejected.empty());
  EXPECT_EQ(step.type(), StepControlType::kKlTrustRegion);
}

TEST(TrustRegionStepTest, RejectedTrialsShrinkTheRadiusBeforeTheAcceptedOne) {
  // Trial 1 overshoots to x = −2 (L rises: ρ < 0); trial 2 has no positive
  // prediction (no evaluation); trial 3 has no step (C + λD singular, say);
  // trial 4 is accepted.
  auto strategy = std::make_unique<ScriptedStrategy>(
      std::deque<Script>{{TrialStatus::kStep, -3.0, 1.0, 0.4},
                         {TrialStatus::kStep, -1.0, 1.0, 0.0},
                         {TrialStatus::kNoStep, 0.0, 1.0, 0.0},
                         {TrialStatus::kStep, -1.0, 1.0, 0.5}});
  ScriptedStrategy& scripted = *strategy;
  TrustRegionStep step(StepControlType::kLevenbergMarquardt,
                       std::move(strategy), 1e-3, 10);
  const StepRun run = ComputeStep(&step);
  ASSERT_TRUE(run.stepped) << run.message;
  EXPECT_EQ(run.evaluations, 2);                     // trials 1 and 4
  EXPECT_EQ(run.result.line_search_evaluations, 3);  // trials with a step
  ASSERT_EQ(scripted.rejected.size(), 3u);
  EXPECT_EQ(scripted.rejected[0], (0.5 - 2.0) / 0.4);
  EXPECT_EQ(scripted.rejected[1], -kInfinity);
  EXPECT_EQ(scripted.rejected[2], -kInfinity);
  EXPECT_EQ(scripted.accepted, std::vector<double>{1.0});
  // The first trial's prediction; the radius the accepted step respected.
  EXPECT_EQ(run.result.predicted_decrease, 0.4);
  EXPECT_EQ(run.result.trust_region_radius, 0.125);
  EXPECT_EQ(run.result.next.theta[0], 0.0);
}

TEST(TrustRegionStepTest, BeginStepsPredictionIsKept) {
  auto strategy = std::make_unique<ScriptedStrategy>(
      std::deque<Script>{{TrialStatus::kStep, -1.0, 1.0, 0.5}});
  strategy->full_step_prediction = 0.75;
  TrustRegionStep step(StepControlType::kKlTrustRegion, std::move(strategy),
                       1e-3, 10);
  const StepRun run = ComputeStep(&step);
  ASSERT_TRUE(run.stepped);
  EXPECT_EQ(run.result.predicted_decrease, 0.75);
}

// At the rounding floor of L (a predicted decrease below its resolution) ρ
// is a ratio of rounding errors: the first trial is accepted when L did not
// rise beyond the resolution, and the radius is left alone.
TEST(TrustRegionStepTest, RoundingFloorAcceptsTheFirstTrialOnly) {
  const double offset = 1e6;  // resolution 16 ulps of 1e6 ≈ 3.6e-9
  const double resolution = CostResolution(offset + 0.5);
  // A step of 1e-12 changes L by ~1e-12, below its resolution; its
  // "predicted" decrease says L should fall by 1e-9, and the evaluated L
  // does not fall at all: ρ ≤ 0, yet at the floor.
  auto strategy = std::make_unique<ScriptedStrategy>(
      std::deque<Script>{{TrialStatus::kStep, 1e-12, 1.0, 0.25 * resolution}});
  ScriptedStrategy& scripted = *strategy;
  TrustRegionStep step(StepControlType::kLevenbergMarquardt,
                       std::move(strategy), 1e-3, 10);
  const StepRun run = ComputeStep(&step, offset);
  ASSERT_TRUE(run.stepped) << run.message;
  EXPECT_LE(run.result.gain_ratio, 1e-3);
  EXPECT_TRUE(scripted.accepted.empty());  // radius untouched
  EXPECT_TRUE(scripted.rejected.empty());

  // The same trial after a rejection is rejected too: the shrunken region,
  // not the optimum, made its prediction small.
  strategy = std::make_unique<ScriptedStrategy>(
      std::deque<Script>{{TrialStatus::kStep, -3.0, 1.0, 0.4},
                         {TrialStatus::kStep, 1e-12, 1.0, 0.25 * resolution},
                         {TrialStatus::kStep, -1.0, 1.0, 0.5}});
  ScriptedStrategy& second = *strategy;
  TrustRegionStep again(StepControlType::kLevenbergMarquardt,
                        std::move(strategy), 1e-3, 10);
  const StepRun later = ComputeStep(&again, offset);
  ASSERT_TRUE(later.stepped) << later.message;
  EXPECT_EQ(second.rejected.size(), 2u);
  EXPECT_EQ(second.accepted.size(), 1u);
  EXPECT_EQ(later.result.next.theta[0], 0.0);
}

TEST(TrustRegionStepTest, RejectionBudgetEndsTheStepWithItsMessage) {
  std::deque<Script> script(5, Script{TrialStatus::kStep, -3.0, 1.0, 0.4});
  TrustRegionStep step(StepControlType::kLevenbergMarquardt,
                       std::make_unique<ScriptedStrategy>(script), 1e-3, 5);
  const StepRun run = ComputeStep(&step);
  EXPECT_FALSE(run.stepped);
  EXPECT_EQ(run.evaluations, 5);
  EXPECT_EQ(run.message,
            "scripted region rejected 5 trial steps in a row (radius reached "
            "0.03125)");
  EXPECT_EQ(step.radius(), 0.03125);
  // Every trial was finite: the last one's length is reported, for the
  // solver's parameter-tolerance rule.
  EXPECT_EQ(run.result.last_trial_step_norm, 3.0);
}

TEST(TrustRegionStepTest, AnExhaustedStrategyEndsTheStepEarly) {
  std::deque<Script> script(5, Script{TrialStatus::kStep, -3.0, 1.0, 0.4});
  auto strategy = std::make_unique<ScriptedStrategy>(script);
  strategy->min_radius = 0.3;  // 1 → ½ → ¼: exhausted after two rejections
  TrustRegionStep step(StepControlType::kLevenbergMarquardt,
                       std::move(strategy), 1e-3, 5);
  const StepRun run = ComputeStep(&step);
  EXPECT_FALSE(run.stepped);
  EXPECT_EQ(run.evaluations, 2);
  EXPECT_EQ(run.message,
            "scripted region rejected 2 trial steps in a row (radius reached "
            "0.25)");
}

TEST(TrustRegionStepTest, NonFiniteTrialsDoNotCountForTheParameterRule) {
  // x = −11 is outside the domain; the later finite trial does not report
  // its length: a region shrunk by non-finite values says nothing about
  // the optimum.
  TrustRegionStep step(StepControlType::kKlTrustRegion,
                       std::make_unique<ScriptedStrategy>(std::deque<Script>{
                           {TrialStatus::kStep, -12.0, 1.0, 0.4},
                           {TrialStatus::kStep, -3.0, 1.0, 0.4}}),
                       1e-3, 2);
  const StepRun run = ComputeStep(&step);
  EXPECT_FALSE(run.stepped);
  EXPECT_EQ(run.evaluations, 2);
  EXPECT_TRUE(std::isnan(run.result.last_trial_step_norm));
}

TEST(TrustRegionStepTest, AStrategyFailureEndsTheStepAtOnce) {
  TrustRegionStep step(StepControlType::kLevenbergMarquardt,
                       std::make_unique<ScriptedStrategy>(std::deque<Script>{
                           {TrialStatus::kStep, -3.0, 1.0, 0.4},
                           {TrialStatus::kFailure, 0.0, 1.0, 0.0}}),
                       1e-3, 10);
  const StepRun run = ComputeStep(&step);
  EXPECT_FALSE(run.stepped);
  EXPECT_EQ(run.message, "scripted failure");
  EXPECT_EQ(run.evaluations, 1);
  EXPECT_EQ(run.result.predicted_decrease, 0.4);
}

// Nocedal & Wright's radius rule shared by the Steihaug and KL strategies.
TEST(RadiusUpdateTest, ShrinksOnPoorGrowsOnGoodAtTheBoundary) {
  const RadiusUpdate update{0.25, 0.75, 0.25, 2.0, 10.0};
  EXPECT_EQ(update.Next(4.0, 0.1, 2.0, true), 0.5);   // ¼ of the step
  EXPECT_EQ(update.Next(4.0, 0.5, 2.0, true), 4.0);   // kept
  EXPECT_EQ(update.Next(4.0, 0.9, 2.0, false), 4.0);  // inside: kept
  EXPECT_EQ(update.Next(4.0, 0.9, 4.0, true), 8.0);   // doubled
  EXPECT_EQ(update.Next(8.0, 0.9, 8.0, true), 10.0);  // capped
  EXPECT_EQ(update.Next(4.0, -kInfinity, 4.0, true), 1.0);
}

}  // namespace
}  // namespace fisheropt
