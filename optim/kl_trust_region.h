#ifndef FISHEROPT_OPTIM_KL_TRUST_REGION_H_
#define FISHEROPT_OPTIM_KL_TRUST_REGION_H_

#include "optim/step_control.h"

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
// solve) with the shrunken δ. Like Levenberg–Marquardt, at the rounding floor
// of L (the predicted decrease below a few ulps of |L|) a step that does not
// raise L beyond that resolution is accepted and δ is left alone. Never steps
// uphill otherwise: an accepted step has ρ > min_gain_ratio ≥ 0.
class KlTrustRegionStep final : public StepControl {
 public:
  KlTrustRegionStep(const KlTrustRegionOptions& options,
                    const LinearSolverOptions& linear_solver)
      : options_(options),
        linear_solver_(linear_solver),
        radius_(options.initial_radius) {}

  bool ComputeStep(const SolverPoint& current,
                   const CurvatureOperator& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override {
    return StepControlType::kKlTrustRegion;
  }

  // The current δ (for the next step).
  double radius() const { return radius_; }

 private:
  KlTrustRegionOptions options_;
  LinearSolverOptions linear_solver_;
  double radius_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_KL_TRUST_REGION_H_
