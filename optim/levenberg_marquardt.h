#ifndef FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_
#define FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_

#include <Eigen/Core>
#include <cmath>
#include <string>

#include "optim/linear_solver.h"
#include "optim/trust_region_step.h"

namespace fisheropt {

// Marquardt's scaling D = diag(C), clamped as Ceres clamps it: in the
// Jacobi-scaled coordinates θ̃_j = (1 + √C_jj(θ₀)) θ_j, fixed at the first
// call, D̃_jj is kept within [min_diagonal, max_diagonal]
// (DampingOptions). A direction whose curvature has collapsed since the
// start (a parameter the residuals no longer see) is thus still damped on
// the scale of the start instead of taking a huge step, and a zero
// diagonal entry gets a finite damping. Shared by both forms below.
class MarquardtScaling {
 public:
  explicit MarquardtScaling(const DampingOptions& damping)
      : damping_(damping) {}
  // D for diag C; empty (D = I) for DampingScaling::kIdentity.
  Eigen::VectorXd Compute(const Eigen::VectorXd& curvature_diagonal);

 private:
  DampingOptions damping_;
  Eigen::ArrayXd jacobi_;  // (1 + √C_jj)² at the first call
};

// Levenberg–Marquardt damping of a dense curvature, with Nielsen's rule for
// λ (Nielsen 1999; Madsen, Nielsen & Tingleff 2004, §3.2):
//   (C + λD) s = −g,  λ₀ = initial_damping_ratio (· max diag C for D = I);
//   accepted: λ ← λ · max(1/3, 1 − (2ρ − 1)³), ν ← 2;
//   rejected, or C + λD not positive definite: λ ← λν, ν ← 2ν.
// Large λ turns the step into a short gradient step, so an indefinite
// Hessian is handled by the same mechanism. λ carries over between
// iterations. With a least-squares factor C = BᵀB, g = Bᵀb, the solve is a
// QR of [B; √(λD)] and the predicted decrease −(Bs)ᵀ(b + ½Bs), which keeps
// its accuracy when b is small.
class LevenbergMarquardtStrategy final : public TrustRegionStrategy {
 public:
  LevenbergMarquardtStrategy(const DampingOptions& damping,
                             const LinearSolverOptions& linear_solver)
      : damping_(damping), linear_solver_(linear_solver), scaling_(damping) {}

  bool BeginStep(const SolverPoint& current, const CurvatureOperator& curvature,
                 StepResult* result, std::string* message) override;
  TrialStatus ComputeTrialStep(const SolverPoint& current,
                               const CurvatureOperator& curvature, Trial* trial,
                               StepResult* result,
                               std::string* message) override;
  void StepAccepted(double gain_ratio) override;
  void StepRejected(double gain_ratio) override;
  bool Exhausted(double) const override { return !std::isfinite(lambda_); }
  std::string Name() const override { return "Levenberg-Marquardt"; }
  std::string RadiusName() const override { return "damping"; }
  double Radius() const override { return lambda_; }

 private:
  DampingOptions damping_;
  LinearSolverOptions linear_solver_;
  MarquardtScaling scaling_;
  Eigen::VectorXd diagonal_;  // D of this step; empty for D = I
  bool least_squares_ = false;
  double lambda_ = -1.0;  // < 0 until the first step sets λ₀.
  double nu_ = 2.0;
};

// Levenberg–Marquardt of a matrix-free curvature (conjugate gradient
// chosen): the equivalent trust region ‖D^½ s‖ ≤ Δ, solved by Steihaug-CG on
// products Cv (SolveSteihaugConjugateGradient) with the same clamped
// Marquardt D, and Δ by Nocedal & Wright's Algorithm 4.1 (kRadiusUpdate). λ
// and Δ play the same part (Δ ≈ 1/λ in the D-norm), so Δ₀ =
// 1 / initial_damping_ratio, as Ceres' initial radius 1e4 corresponds to its
// λ₀ = 1e-4.
class SteihaugStrategy final : public TrustRegionStrategy {
 public:
  SteihaugStrategy(const DampingOptions& damping,
                   const LinearSolverOptions& linear_solver)
      : linear_solver_(linear_solver),
        scaling_(damping),
        radius_(1.0 / damping.initial_damping_ratio) {}

  bool BeginStep(const SolverPoint& current, const CurvatureOperator& curvature,
                 StepResult* result, std::string* message) override;
  TrialStatus ComputeTrialStep(const SolverPoint& current,
                               const CurvatureOperator& curvature, Trial* trial,
                               StepResult* result,
                               std::string* message) override;
  void StepAccepted(double gain_ratio) override { Update(gain_ratio); }
  void StepRejected(double gain_ratio) override { Update(gain_ratio); }
  bool Exhausted(double) const override { return !(radius_ > 0.0); }
  std::string Name() const override {
    return "Levenberg-Marquardt (Steihaug trust region)";
  }
  double Radius() const override { return radius_; }

 private:
  // N&W's constants in the D-norm: ρ < ¼ → ¼‖D^½ s‖, ρ > ¾ on the boundary
  // → 2Δ, at most Ceres' max_trust_region_radius 1e16.
  static constexpr RadiusUpdate kRadiusUpdate{0.25, 0.75, 0.25, 2.0, 1e16};
  void Update(double gain_ratio) {
    radius_ = kRadiusUpdate.Next(radius_, gain_ratio, last_.scaled_norm,
                                 last_.on_boundary);
  }

  LinearSolverOptions linear_solver_;
  MarquardtScaling scaling_;
  Eigen::VectorXd diagonal_;  // D of this step
  double forcing_ = 0.5;      // CG's relative tolerance for this step
  int max_cg_iterations_ = 0;
  double radius_;
  SteihaugResult last_;  // the last trial's solve
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LEVENBERG_MARQUARDT_H_
