#include "optim/linear_solver.h"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>

namespace fisheropt {

bool SolveShiftedCholesky(const Eigen::MatrixXd& curvature,
                          const Eigen::VectorXd& scaling, double shift,
                          const Eigen::VectorXd& rhs, double min_relative_pivot,
                          Eigen::VectorXd* solution) {
  Eigen::MatrixXd shifted = curvature;
  if (shift != 0.0) {
    if (scaling.size() == 0) {
      shifted.diagonal().array() += shift;
    } else {
      shifted.diagonal() += shift * scaling;
    }
  }
  // Jacobi equilibration: factor S = D A D with D = diag(A)^(-1/2), which has
  // a unit diagonal. The pivot test on S is invariant to the units of the
  // parameters (a matrix that is merely badly scaled, as on the NIST
  // problems, is not singular), and S factors more accurately than A.
  const Eigen::VectorXd diagonal = shifted.diagonal();
  if (!(diagonal.array() > 0.0).all()) return false;  // not PD (or NaN)
  const Eigen::VectorXd d = diagonal.cwiseSqrt().cwiseInverse();
  shifted = d.asDiagonal() * shifted * d.asDiagonal();
  const Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> cholesky(shifted);
  if (cholesky.info() != Eigen::Success) return false;
  const Eigen::VectorXd pivots = cholesky.matrixLLT().diagonal().cwiseAbs2();
  if (!(pivots.minCoeff() > min_relative_pivot * pivots.maxCoeff())) {
    return false;
  }
  *solution = d.cwiseProduct(cholesky.solve(d.cwiseProduct(rhs)));
  return solution->allFinite();
}

namespace {

// τ ≥ 0 with ‖z + τp‖ = radius, for ‖z‖ ≤ radius (the positive root).
double DistanceToBoundary(const Eigen::VectorXd& z, const Eigen::VectorXd& p,
                          double radius) {
  const double a = p.squaredNorm();
  const double b = z.dot(p);
  const double c = z.squaredNorm() - radius * radius;  // ≤ 0
  // Stable root of aτ² + 2bτ + c = 0 with c ≤ 0.
  const double discriminant = std::sqrt(std::max(0.0, b * b - a * c));
  return b > 0.0 ? -c / (b + discriminant) : (discriminant - b) / a;
}

}  // namespace

bool SolveSteihaugConjugateGradient(const CurvatureOperator& curvature,
                                    const Eigen::VectorXd& gradient,
                                    const Eigen::VectorXd& scaling,
                                    double radius, double relative_tolerance,
                                    int max_iterations,
                                    SteihaugResult* result) {
  *result = SteihaugResult();
  const Eigen::Index p = gradient.size();
  result->step = Eigen::VectorXd::Zero(p);
  if (scaling.size() != p || !(scaling.array() > 0.0).all() ||
      !scaling.allFinite() || !(radius > 0.0)) {
    return false;
  }
  const Eigen::VectorXd inverse_root = scaling.cwiseSqrt().cwiseInverse();
  // Scaled problem: ĝ = D^-½ g, Ĉ = D^-½ C D^-½, ẑ = D^½ s.
  Eigen::VectorXd residual = inverse_root.cwiseProduct(gradient);  // Ĉẑ + ĝ
  const double tolerance = relative_tolerance * residual.norm();
  Eigen::VectorXd z = Eigen::VectorXd::Zero(p);
  if (residual.norm() <= tolerance || residual.isZero(0.0)) {
    result->converged = true;
    return true;
  }
  Eigen::VectorXd direction = -residual;
  Eigen::VectorXd product;
  double rr = residual.squaredNorm();
  const auto finish = [&](const Eigen::VectorXd& scaled_step) {
    result->step = inverse_root.cwiseProduct(scaled_step);
    result->scaled_norm = scaled_step.norm();
    return result->step.allFinite();
  };
  for (int j = 0; j < max_iterations; ++j) {
    if (!curvature.Apply(inverse_root.cwiseProduct(direction), &product) ||
        !product.allFinite()) {
      return false;
    }
    product = inverse_root.cwiseProduct(product);  // Ĉ p
    ++result->num_iterations;
    const double curvature_along = direction.dot(product);
    if (!(curvature_along > 0.0)) {
      result->negative_curvature = true;
      result->on_boundary = true;
      return finish(z + DistanceToBoundary(z, direction, radius) * direction);
    }
    const double alpha = rr / curvature_along;
    const Eigen::VectorXd next = z + alpha * direction;
    if (next.norm() >= radius) {
      result->on_boundary = true;
      return finish(z + DistanceToBoundary(z, direction, radius) * direction);
    }
    z = next;
    residual += alpha * product;
    const double rr_next = residual.squaredNorm();
    if (std::sqrt(rr_next) <= tolerance) {
      result->converged = true;
      return finish(z);
    }
    direction = -residual + (rr_next / rr) * direction;
    rr = rr_next;
  }
  return finish(z);
}

bool SolveShiftedLeastSquares(const Eigen::MatrixXd& factor,
                              const Eigen::VectorXd& residuals,
                              const Eigen::VectorXd& scaling, double shift,
                              double min_relative_pivot,
                              Eigen::VectorXd* solution) {
  const Eigen::Index m = factor.rows();
  const Eigen::Index p = factor.cols();
  const bool damped = shift != 0.0;
  // Without damping, B with fewer rows than columns has rank ≤ m < p: BᵀB is
  // singular. Its QR would have only m Householder pivots, and R's p × p
  // upper triangle, the p pivots and the first p entries of Qᵀ(−b) below
  // would be read past the end of the m-row factorization.
  if (!damped && m < p) return false;
  Eigen::MatrixXd stacked(m + (damped ? p : 0), p);
  stacked.topRows(m) = factor;
  if (damped) {
    const Eigen::VectorXd damping =
        scaling.size() == 0 ? Eigen::VectorXd::Constant(p, shift).eval()
                            : (shift * scaling).eval();
    if (!(damping.array() >= 0.0).all()) return false;
    stacked.bottomRows(p) = damping.cwiseSqrt().asDiagonal();
  }
  // Unit-norm columns: the pivot test below is then independent of the
  // units of the parameters, as the Cholesky's equilibration makes it.
  const Eigen::VectorXd norms = stacked.colwise().norm().transpose();
  if (!(norms.array() > 0.0).all() || !norms.allFinite()) return false;
  const Eigen::VectorXd column_scale = norms.cwiseInverse();
  stacked = stacked * column_scale.asDiagonal();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(stacked.rows());
  rhs.head(m) = -residuals;
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(stacked);
  const auto r = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  const Eigen::VectorXd pivots = qr.matrixQR().diagonal().head(p).cwiseAbs();
  if (!(pivots.minCoeff() > min_relative_pivot * pivots.maxCoeff())) {
    return false;
  }
  const Eigen::VectorXd qt_rhs = (qr.householderQ().transpose() * rhs).head(p);
  *solution = column_scale.cwiseProduct(r.solve(qt_rhs));
  return solution->allFinite();
}

namespace {

// The shift sequence of ComputeNewtonDirection around one shifted solve.
template <typename ShiftedSolve>
bool ShiftedNewtonDirection(const Eigen::MatrixXd& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            const ShiftedSolve& solve,
                            NewtonDirection* result) {
  const double scale = curvature.diagonal().cwiseAbs().maxCoeff();
  // A zero curvature still gets a finite shift (gradient descent).
  const double first_shift =
      options.initial_shift_ratio * (scale > 0.0 ? scale : 1.0);
  result->num_factorizations = 0;
  double shift = 0.0;
  for (int attempt = 0; attempt <= options.max_shift_retries + 1; ++attempt) {
    ++result->num_factorizations;
    if (solve(shift, &result->direction) &&
        (gradient.dot(result->direction) < 0.0 || gradient.isZero(0.0))) {
      result->shift = shift;
      return true;
    }
    shift = attempt == 0 ? first_shift : shift * options.shift_growth;
  }
  return false;
}

}  // namespace

bool ComputeNewtonDirection(const Eigen::MatrixXd& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result) {
  const Eigen::VectorXd identity;
  return ShiftedNewtonDirection(
      curvature, gradient, options,
      [&](double shift, Eigen::VectorXd* direction) {
        return SolveShiftedCholesky(curvature, identity, shift, -gradient,
                                    options.min_relative_pivot, direction);
      },
      result);
}

bool CurvatureOperator::Apply(const Eigen::VectorXd& v,
                              Eigen::VectorXd* out) const {
  if (is_dense()) {
    out->noalias() = *matrix_ * v;
    return true;
  }
  ++num_products_;
  return curvature_->Apply(*theta_, v, out, nullptr);
}

bool CurvatureOperator::Diagonal(Eigen::VectorXd* out) const {
  if (is_dense()) {
    *out = matrix_->diagonal();
    return true;
  }
  return curvature_->Diagonal(*theta_, out, nullptr);
}

double CurvatureOperator::QuadraticForm(const Eigen::VectorXd& v) const {
  Eigen::VectorXd product;
  if (!Apply(v, &product)) return std::numeric_limits<double>::quiet_NaN();
  return 0.5 * v.dot(product);
}

bool UsesConjugateGradient(const LinearSolverOptions& options,
                           int num_parameters) {
  switch (options.type) {
    case LinearSolverType::kCholesky:
      return false;
    case LinearSolverType::kConjugateGradient:
      return true;
    case LinearSolverType::kAutomatic:
      return num_parameters > options.automatic_cg_threshold;
  }
  return false;
}

bool SolveConjugateGradient(const CurvatureOperator& curvature,
                            const Eigen::VectorXd& rhs,
                            double relative_tolerance, int max_iterations,
                            ConjugateGradientResult* result) {
  const Eigen::Index p = rhs.size();
  *result = ConjugateGradientResult();
  result->solution = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd preconditioner;
  if (!curvature.Diagonal(&preconditioner) || !preconditioner.allFinite()) {
    return false;
  }
  preconditioner = preconditioner.cwiseAbs();
  const double largest =
      preconditioner.size() > 0 ? preconditioner.maxCoeff() : 0.0;
  preconditioner =
      preconditioner.cwiseMax(largest > 0.0 ? 1e-12 * largest : 1.0);

  const double tolerance = relative_tolerance * rhs.norm();
  Eigen::VectorXd residual = -rhs;  // r = C x − rhs at x = 0
  result->residual_norm = residual.norm();
  if (result->residual_norm <= tolerance) {
    result->converged = true;
    return true;
  }
  Eigen::VectorXd z = residual.cwiseQuotient(preconditioner);
  Eigen::VectorXd direction = -z;
  double rz = residual.dot(z);
  Eigen::VectorXd product;
  for (int j = 0; j < max_iterations; ++j) {
    if (!curvature.Apply(direction, &product) || !product.allFinite()) {
      return false;
    }
    const double curvature_along = direction.dot(product);
    if (!(curvature_along > 0.0)) {
      result->negative_curvature = true;
      if (j == 0) result->solution = rhs.cwiseQuotient(preconditioner);
      return true;
    }
    const double alpha = rz / curvature_along;
    result->solution += alpha * direction;
    residual += alpha * product;
    result->num_iterations = j + 1;
    result->residual_norm = residual.norm();
    if (result->residual_norm <= tolerance) {
      result->converged = true;
      break;
    }
    z = residual.cwiseQuotient(preconditioner);
    const double rz_next = residual.dot(z);
    direction = -z + (rz_next / rz) * direction;
    rz = rz_next;
  }
  return result->solution.allFinite();
}

bool ComputeNewtonDirection(const CurvatureOperator& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result) {
  if (curvature.quasi_newton() != nullptr &&
      curvature.quasi_newton()->HasInitialCurvature()) {
    result->direction = curvature.quasi_newton()->Direction(gradient);
    result->shift = 0.0;
    result->num_factorizations = 0;
    result->num_cg_iterations = 0;
    return result->direction.allFinite() &&
           (gradient.dot(result->direction) < 0.0 || gradient.isZero(0.0));
  }
  if (curvature.has_least_squares_factor() &&
      options.use_least_squares_factor) {
    const Eigen::VectorXd identity;
    return ShiftedNewtonDirection(
        curvature.matrix(), gradient, options,
        [&](double shift, Eigen::VectorXd* direction) {
          return SolveShiftedLeastSquares(
              curvature.factor(), curvature.residuals(), identity, shift,
              options.min_relative_pivot, direction);
        },
        result);
  }
  if (curvature.is_dense()) {
    return ComputeNewtonDirection(curvature.matrix(), gradient, options,
                                  result);
  }
  const double gradient_norm = gradient.norm();
  const double forcing =
      std::min(options.cg_max_forcing, std::sqrt(gradient_norm));
  const int max_iterations = options.cg_max_iterations > 0
                                 ? options.cg_max_iterations
                                 : static_cast<int>(gradient.size());
  ConjugateGradientResult cg;
  result->num_factorizations = 0;
  result->shift = 0.0;
  if (!SolveConjugateGradient(curvature, -gradient, forcing, max_iterations,
                              &cg)) {
    return false;
  }
  result->direction = std::move(cg.solution);
  result->num_cg_iterations = cg.num_iterations;
  return gradient.dot(result->direction) < 0.0 || gradient.isZero(0.0);
}

}  // namespace fisheropt
