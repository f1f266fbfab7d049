#ifndef FISHEROPT_OPTIM_TRUST_REGION_STEP_H_
#define FISHEROPT_OPTIM_TRUST_REGION_STEP_H_

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "optim/step_control.h"

namespace fisheropt {

// What a trust-region method adapts between trials: Levenberg–Marquardt's
// damping λ (levenberg_marquardt.h), the radius Δ of a Steihaug-CG region
// (same file, the matrix-free form), the KL budget δ (kl_trust_region.h).
// A strategy only proposes trial steps and updates its radius from the gain
// ratio; TrustRegionStep evaluates the trials and decides (as Ceres'
// TrustRegionStrategy under its TrustRegionMinimizer).
//
// The order of calls in one ComputeStep of the step control:
//   BeginStep                                      once
//   ComputeTrialStep, then one of                  per trial
//     StepAccepted(ρ)   the trial is the step (ρ > min_gain_ratio)
//     StepRejected(ρ)   a new trial follows unless Exhausted() or the
//                       rejection budget is spent
//     nothing           the trial is accepted at the rounding floor of L,
//                       where ρ is a ratio of rounding errors
// ρ = −∞ for a trial without a finite objective or without a step. The
// strategy keeps its radius from one ComputeStep to the next.
class TrustRegionStrategy {
 public:
  enum class TrialStatus {
    kStep,     // *trial holds a step to evaluate.
    kNoStep,   // No step at this radius (e.g. C + λD not positive definite):
               // a rejected trial, without an evaluation.
    kFailure,  // No step at any radius; *message says why.
  };

  // A trial step s = α d and what the strategy's quadratic model says of it.
  struct Trial {
    Eigen::VectorXd direction;  // d
    double step_size = 1.0;     // α (reported as IterationSummary::step_size)
    // −(gᵀs + ½ sᵀCs): the decrease of L the model predicts. A trial with
    // no positive prediction is rejected without an evaluation.
    double predicted_decrease = std::numeric_limits<double>::quiet_NaN();
    double quadratic_form = 0.0;  // ½ sᵀCs, the step's KL for a Fisher C
    double damping = 0.0;         // λ, or the shift τ; reported as damping
    double radius = 0.0;          // the region the step respected; 0 if none
  };

  virtual ~TrustRegionStrategy() = default;

  // What every trial of this step shares (the Marquardt diagonal, the
  // direction of the KL region). May set result->predicted_decrease to the
  // model's decrease for the full step, and adds its linear-solver counts
  // and time to *result. False with *message on a numerical failure.
  virtual bool BeginStep(const SolverPoint& current,
                         const CurvatureOperator& curvature, StepResult* result,
                         std::string* message) = 0;
  // The trial step at the current radius; adds its linear-solver counts
  // and time to *result.
  virtual TrialStatus ComputeTrialStep(const SolverPoint& current,
                                       const CurvatureOperator& curvature,
                                       Trial* trial, StepResult* result,
                                       std::string* message) = 0;
  // The radius after the last trial, from its gain ratio ρ.
  virtual void StepAccepted(double gain_ratio) = 0;
  virtual void StepRejected(double gain_ratio) = 0;
  // True when no smaller region is left to try (λ overflowed, Δ or δ below
  // its floor); `cost` = |L| for floors relative to it.
  virtual bool Exhausted(double cost) const = 0;

  // For the failure message: "<Name> rejected n trial steps in a row
  // (<RadiusName> reached <Radius>)".
  virtual std::string Name() const = 0;
  virtual std::string RadiusName() const { return "radius"; }
  // The current radius (λ for Levenberg–Marquardt's damping).
  virtual double Radius() const = 0;
};

// Nocedal & Wright's Algorithm 4.1 for a radius r in the units of a size of
// the step (a norm, or a quadratic form for the KL region):
//   ρ < poor_gain_ratio                    → r ← shrink_factor · size(s)
//   ρ > good_gain_ratio and s on the edge  → r ← min(growth_factor · r,
//                                                    max_radius)
// and r unchanged otherwise.
struct RadiusUpdate {
  double poor_gain_ratio = 0.25;
  double good_gain_ratio = 0.75;
  double shrink_factor = 0.25;
  double growth_factor = 2.0;
  double max_radius = 1e16;

  double Next(double radius, double gain_ratio, double step_size,
              bool on_boundary) const {
    if (gain_ratio < poor_gain_ratio) return shrink_factor * step_size;
    if (gain_ratio > good_gain_ratio && on_boundary) {
      return std::min(growth_factor * radius, max_radius);
    }
    return radius;
  }
};

// The trust-region loop, written once for every strategy. Per trial:
//   θ' = θ + α d, evaluated only when the model predicts a decrease;
//   ρ = [L(θ) − L(θ')] / predicted decrease (−∞ when L(θ') is not finite);
//   accepted when ρ > min_gain_ratio, or — the rounding floor, first trial
//   only — when the predicted decrease is below the resolution of L
//   (optim/cost_resolution.h) and L(θ') ≤ L(θ) + that resolution; after a
//   rejection the radius has shrunk, and a tiny predicted decrease then
//   reflects the radius, not the optimum, so it must not pass for
//   convergence.
// A step fails after max_consecutive_rejections trials or once the strategy
// is exhausted. StepResult is filled here: predicted_decrease (from
// BeginStep, else the first trial with a step), last_trial_step_norm (α‖d‖ of
// the last finite trial, kept NaN once a trial was not finite: a region
// shrunk by non-finite values says nothing about the optimum), the trial
// count, and on acceptance the step's α, damping, ρ, ½sᵀCs and radius.
class TrustRegionStep final : public StepControl {
 public:
  TrustRegionStep(StepControlType type,
                  std::unique_ptr<TrustRegionStrategy> strategy,
                  double min_gain_ratio, int max_consecutive_rejections)
      : type_(type),
        strategy_(std::move(strategy)),
        min_gain_ratio_(min_gain_ratio),
        max_consecutive_rejections_(max_consecutive_rejections) {}

  bool ComputeStep(const SolverPoint& current,
                   const CurvatureOperator& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override { return type_; }

  // The strategy's radius for the next step.
  double radius() const { return strategy_->Radius(); }

 private:
  StepControlType type_;
  std::unique_ptr<TrustRegionStrategy> strategy_;
  double min_gain_ratio_;
  int max_consecutive_rejections_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_TRUST_REGION_STEP_H_
