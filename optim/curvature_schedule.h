#ifndef FISHEROPT_OPTIM_CURVATURE_SCHEDULE_H_
#define FISHEROPT_OPTIM_CURVATURE_SCHEDULE_H_

#include <Eigen/Core>
#include <limits>
#include <optional>
#include <string>

#include "fisher/curvature.h"
#include "optim/limited_memory_bfgs.h"
#include "optim/linear_solver.h"
#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "optim/step_control.h"

namespace fisheropt {

// Everything the solver decides about the curvature C, so that the step
// control receives a ready operator and the solver never asks which
// curvature it holds:
//   - the form: matrix-free products when conjugate gradient is chosen
//     (LinearSolverOptions, truncated Newton), else the dense C;
//   - the refresh policy (CurvatureReuseOptions): a new dense C when the
//     last one is max_age iterations old or a step contracted the gradient
//     by less than max_gradient_ratio;
//   - the secant correction of a reused C (SecantCorrection): none, the
//     dense BFGS update of C, or L-BFGS pairs on top of it;
//   - the least-squares factor C = BᵀB of a curvature that has one, used
//     only with a C computed at the current point (its residuals b must be
//     those of the current point) and left out under L-BFGS;
//   - the retry: a step that failed with a reused C or L-BFGS pairs is
//     retried once with a fresh C and no pairs.
// The solver calls, per iteration: Prepare, the step control with
// curvature_operator(), then StepAccepted or (on a failed step)
// RetryWithFreshCurvature.
class CurvatureSchedule {
 public:
  // `curvature` is not owned and outlives the schedule.
  CurvatureSchedule(const SolverOptions& options, Curvature* curvature,
                    int num_parameters);

  // True when the step controls see matrix-free products.
  bool matrix_free() const { return matrix_free_; }
  // The linear solver of the steps: "conjugate_gradient", "lbfgs",
  // "dense_qr" (once a least-squares factor was used) or "cholesky".
  std::string LinearSolverName() const;

  // Makes curvature_operator() the C of this iteration at `current`,
  // computing a new dense C when the refresh policy asks for one (counted
  // and timed in *summary). False with *error when C cannot be computed.
  bool Prepare(const SolverPoint& current, SolverSummary* summary,
               std::string* error);
  // The operator of the last Prepare; valid until the next one, while
  // `current` lives.
  const CurvatureOperator& curvature_operator() const { return *operator_; }

  // After a failed step: true when the step had a reused C or L-BFGS pairs,
  // which may be what failed; the next Prepare then computes a fresh C with
  // no pairs. False when the step already had a fresh C: the failure stands.
  bool RetryWithFreshCurvature();

  // After an accepted step from `from` to `to`: the secant correction with
  // s = Δθ, y = Δ∇L (counted in summary->num_secant_updates when a pair
  // passes the curvature condition).
  void StepAccepted(const SolverPoint& from, const SolverPoint& to,
                    SolverSummary* summary);

 private:
  bool RefreshDue(double gradient_norm) const;
  bool Refresh(const Eigen::VectorXd& theta, SolverSummary* summary,
               std::string* error);
  void AttachLeastSquaresFactor(const Eigen::VectorXd& theta);

  Curvature* curvature_;
  CurvatureReuseOptions reuse_;
  bool use_least_squares_factor_;
  bool matrix_free_;
  // The correction in effect: kNone for matrix-free products, and for the
  // dense update at max_age = 1 (C is new every iteration).
  SecantCorrection secant_;
  Eigen::MatrixXd matrix_;  // the dense C
  int age_ = -1;            // Prepares since C was computed; < 0: never
  double previous_gradient_norm_ = std::numeric_limits<double>::infinity();
  LimitedMemoryBfgs lbfgs_;
  Eigen::MatrixXd factor_;     // B of C = BᵀB
  Eigen::VectorXd residuals_;  // b of ∇L = Bᵀb
  bool used_least_squares_factor_ = false;
  std::optional<CurvatureOperator> operator_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_CURVATURE_SCHEDULE_H_
