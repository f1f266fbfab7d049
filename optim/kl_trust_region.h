#ifndef FISHEROPT_OPTIM_KL_TRUST_REGION_H_
#define FISHEROPT_OPTIM_KL_TRUST_REGION_H_

#include <Eigen/Core>
#include <string>

#include "optim/trust_region_step.h"

namespace fisheropt {

// The natural gradient with a KL trust region (see KlTrustRegionOptions for
// the constants and their source):
//
//   d = −(C + τI)⁻¹ g,   q(s) = ½ sᵀ(C + τI)s,   s = α d,
//   α = min(1, √(δ / q(d))),
//   ρ = [L(θ) − L(θ + s)] / [−(gᵀs + ½ sᵀCs)].
//
// For a Fisher C, ½ sᵀCs is the KL divergence KL(p_θ ‖ p_θ+s) to second
// order, so every accepted step moves the model by at most δ nats (τ = 0
// for a Fisher; an indefinite Hessian is measured in the shifted metric,
// which bounds ½ sᵀCs too; a truncated-Newton direction of negative
// curvature is measured in the Jacobi metric ½ sᵀ|diag C|s). The metric of the
// region is the model's own curvature, so the scaled Newton step is the exact
// minimizer of the quadratic model in the region. δ carries over between
// iterations; a rejected step is retried along the same direction (no new
// solve) with the shrunken δ, updated by Nocedal & Wright's Algorithm 4.1 in
// KL units. The trust-region loop (TrustRegionStep) decides acceptance and
// the rounding floor.
class KlTrustRegionStrategy final : public TrustRegionStrategy {
 public:
  KlTrustRegionStrategy(const KlTrustRegionOptions& options,
                        const LinearSolverOptions& linear_solver)
      : options_(options),
        linear_solver_(linear_solver),
        radius_update_{options.poor_gain_ratio, options.good_gain_ratio,
                       options.shrink_factor, options.growth_factor,
                       options.max_radius},
        radius_(options.initial_radius) {}

  // The direction d, its model and metric forms, and the model's decrease
  // for the full step (result->predicted_decrease).
  bool BeginStep(const SolverPoint& current, const CurvatureOperator& curvature,
                 StepResult* result, std::string* message) override;
  TrialStatus ComputeTrialStep(const SolverPoint& current,
                               const CurvatureOperator& curvature, Trial* trial,
                               StepResult* result,
                               std::string* message) override;
  void StepAccepted(double gain_ratio) override { Update(gain_ratio); }
  void StepRejected(double gain_ratio) override { Update(gain_ratio); }
  // δ below min_radius · |L| (relative, so that a zero-residual fit with
  // L ≈ 1e-25 is not cut off by an absolute floor).
  bool Exhausted(double cost) const override {
    return !(radius_ >= options_.min_radius * cost);
  }
  std::string Name() const override { return "KL trust region"; }
  double Radius() const override { return radius_; }

 private:
  void Update(double gain_ratio) {
    radius_ =
        radius_update_.Next(radius_, gain_ratio, step_form_, alpha_ < 1.0);
  }

  KlTrustRegionOptions options_;
  LinearSolverOptions linear_solver_;
  RadiusUpdate radius_update_;
  double radius_;  // δ
  // This step's direction: d, τ, gᵀd, ½dᵀCd, ½dᵀ(C + τI)d.
  Eigen::VectorXd direction_;
  double shift_ = 0.0;
  double slope_ = 0.0;
  double model_form_ = 0.0;
  double metric_form_ = 0.0;
  // The last trial: α and q(αd).
  double alpha_ = 1.0;
  double step_form_ = 0.0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_KL_TRUST_REGION_H_
