#include "optim/curvature_schedule.h"

#include "optim/secant_update.h"
#include "optim/wall_timer.h"

namespace fisheropt {
namespace {

SecantCorrection CorrectionInEffect(const CurvatureReuseOptions& reuse,
                                    bool matrix_free) {
  if (matrix_free) return SecantCorrection::kNone;
  if (reuse.secant_correction == SecantCorrection::kDenseBfgs &&
      reuse.max_age <= 1) {
    return SecantCorrection::kNone;
  }
  return reuse.secant_correction;
}

}  // namespace

CurvatureSchedule::CurvatureSchedule(const SolverOptions& options,
                                     Curvature* curvature, int num_parameters)
    : curvature_(curvature),
      reuse_(options.curvature_reuse),
      use_least_squares_factor_(options.linear_solver.use_least_squares_factor),
      matrix_free_(
          UsesConjugateGradient(options.linear_solver, num_parameters)),
      secant_(CorrectionInEffect(reuse_, matrix_free_)),
      lbfgs_(reuse_.secant_memory) {}

std::string CurvatureSchedule::LinearSolverName() const {
  if (matrix_free_) return "conjugate_gradient";
  if (secant_ == SecantCorrection::kLimitedMemoryBfgs) return "lbfgs";
  return used_least_squares_factor_ ? "dense_qr" : "cholesky";
}

bool CurvatureSchedule::RefreshDue(double gradient_norm) const {
  return age_ < 0 || age_ >= reuse_.max_age ||
         gradient_norm > reuse_.max_gradient_ratio * previous_gradient_norm_;
}

bool CurvatureSchedule::Refresh(const Eigen::VectorXd& theta,
                                SolverSummary* summary, std::string* error) {
  const WallTimer timer;
  ++summary->num_curvature_evaluations;
  const bool computed = curvature_->Compute(theta, &matrix_, error);
  summary->curvature_time_in_seconds += timer.Seconds();
  if (!computed) return false;
  age_ = 0;
  // A C that is not positive definite leaves L-BFGS without H₀: the step
  // then comes from C itself (shifted as the linear solver does).
  if (secant_ == SecantCorrection::kLimitedMemoryBfgs) {
    lbfgs_.SetInitialCurvature(matrix_);
  }
  return true;
}

bool CurvatureSchedule::Prepare(const SolverPoint& current,
                                SolverSummary* summary, std::string* error) {
  const double gradient_norm = current.gradient.norm();
  if (!matrix_free_ && RefreshDue(gradient_norm) &&
      !Refresh(current.theta, summary, error)) {
    return false;
  }
  ++age_;
  previous_gradient_norm_ = gradient_norm;
  if (matrix_free_) {
    operator_.emplace(curvature_, current.theta);
    return true;
  }
  operator_.emplace(matrix_);
  if (secant_ == SecantCorrection::kLimitedMemoryBfgs) {
    operator_->SetQuasiNewton(&lbfgs_);
  } else if (age_ == 1) {
    AttachLeastSquaresFactor(current.theta);
  }
  return true;
}

void CurvatureSchedule::AttachLeastSquaresFactor(const Eigen::VectorXd& theta) {
  if (use_least_squares_factor_ &&
      curvature_->LeastSquaresFactor(theta, &factor_, &residuals_)) {
    operator_->SetLeastSquaresFactor(&factor_, &residuals_);
    used_least_squares_factor_ = true;
  }
}

bool CurvatureSchedule::RetryWithFreshCurvature() {
  if (matrix_free_ || (age_ <= 1 && lbfgs_.num_pairs() == 0)) return false;
  age_ = -1;
  lbfgs_.ClearPairs();
  return true;
}

void CurvatureSchedule::StepAccepted(const SolverPoint& from,
                                     const SolverPoint& to,
                                     SolverSummary* summary) {
  if (secant_ == SecantCorrection::kNone) return;
  const Eigen::VectorXd s = to.theta - from.theta;
  const Eigen::VectorXd y = to.gradient - from.gradient;
  const bool updated = secant_ == SecantCorrection::kLimitedMemoryBfgs
                           ? lbfgs_.AddPair(s, y)
                           : BfgsUpdate(s, y, &matrix_);
  if (updated) ++summary->num_secant_updates;
}

}  // namespace fisheropt
