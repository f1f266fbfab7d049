#ifndef FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_
#define FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_

#include "optim/step_control.h"

namespace fisheropt {

// Levenberg–Marquardt damping of any curvature (dense form; the matrix-free
// form is the equivalent trust region, see RequiresDenseCurvature):
//   (C + λD) d = −g,   ρ = [L(θ) − L(θ + d)] / [−(gᵀd + ½ dᵀCd)],
// a step is accepted when ρ > min_gain_ratio, and λ follows Nielsen's rule:
// on acceptance λ ← λ · max(1/3, 1 − (2ρ − 1)³) and ν ← 2; on rejection (or
// when C + λD is not positive definite) λ ← λν and ν ← 2ν. Large λ turns the
// step into a short gradient step, so an indefinite Hessian is handled by the
// same mechanism. λ carries over from one iteration to the next. Once the
// predicted decrease is below the resolution of L (a few ulps of |L|), ρ is
// noise; a step that does not raise L beyond that resolution is accepted, so
// the gradient can still be driven to its tolerance.
class LevenbergMarquardtStep final : public StepControl {
 public:
  LevenbergMarquardtStep(const DampingOptions& damping,
                         const LinearSolverOptions& linear_solver)
      : damping_(damping), linear_solver_(linear_solver) {}

  bool ComputeStep(const SolverPoint& current,
                   const CurvatureOperator& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override {
    return StepControlType::kLevenbergMarquardt;
  }
  // Dense C: factorizations of C + λD. Matrix-free C (conjugate gradient
  // chosen): the same damping as a trust region ‖D^½ s‖ ≤ Δ solved by
  // Steihaug-CG (ComputeTrustRegionStep), D from diag C.
  bool RequiresDenseCurvature() const override { return false; }

 private:
  // Upper bound of the matrix-free form's Δ (Ceres' max_trust_region_radius).
  static constexpr double kMaxTrustRegionRadius = 1e16;

  // D: the clamped Marquardt diagonal, or empty for D = I.
  Eigen::VectorXd MarquardtScaling(const Eigen::VectorXd& curvature_diagonal);
  bool ComputeTrustRegionStep(const SolverPoint& current,
                              const CurvatureOperator& curvature,
                              CountedObjective* objective, StepResult* result,
                              std::string* message);

  DampingOptions damping_;
  LinearSolverOptions linear_solver_;
  double lambda_ = -1.0;  // < 0 until the first step sets λ₀.
  // (1 + √C_jj)² at the first iteration: the fixed Jacobi scaling in which
  // the Marquardt diagonal is clamped.
  Eigen::ArrayXd jacobi_;
  double nu_ = 2.0;
  double radius_ = -1.0;  // Δ of the matrix-free form; < 0 until set.
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_
