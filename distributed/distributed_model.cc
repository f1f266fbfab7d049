#include "distributed/distributed_model.h"

#include <utility>

namespace fisheropt {

DistributedModel::DistributedModel(const LikelihoodModel& local,
                                   const Communicator& communicator)
    : local_(local), communicator_(communicator) {}

// The local p × p result, packed by its lower triangle, with one more value
// counting the ranks whose computation failed; one reduction.
template <typename Compute>
bool DistributedModel::ReduceSymmetric(Compute compute,
                                       Eigen::MatrixXd* out) const {
  const Eigen::Index p = NumParameters();
  bool ok = compute(out);
  if (!ok || out->rows() != p || out->cols() != p) {
    ok = false;
    out->setZero(p, p);
  }
  std::vector<double> packed;
  packed.reserve(static_cast<size_t>(p * (p + 1) / 2 + 1));
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = j; i < p; ++i) packed.push_back((*out)(i, j));
  }
  packed.push_back(ok ? 0.0 : 1.0);
  communicator_.SumInPlace(packed.data(),
                           static_cast<std::int64_t>(packed.size()));
  size_t k = 0;
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = j; i < p; ++i) {
      (*out)(i, j) = (*out)(j, i) = packed[k++];
    }
  }
  return packed.back() == 0.0;
}

template <typename Compute>
bool DistributedModel::ReduceVector(Compute compute,
                                    Eigen::VectorXd* out) const {
  const Eigen::Index p = NumParameters();
  bool ok = compute(out);
  if (!ok || out->size() != p) {
    ok = false;
    out->setZero(p);
  }
  Eigen::VectorXd packed(p + 1);
  packed.head(p) = *out;
  packed[p] = ok ? 0.0 : 1.0;
  communicator_.SumInPlace(&packed);
  *out = packed.head(p);
  return packed[p] == 0.0;
}

bool DistributedModel::Evaluate(const Eigen::VectorXd& theta, double* value,
                                Eigen::VectorXd* gradient) const {
  const Eigen::Index p = NumParameters();
  Eigen::VectorXd local_gradient;
  double local_value = 0.0;
  bool ok = local_.Evaluate(theta, &local_value,
                            gradient != nullptr ? &local_gradient : nullptr);
  // [value, gradient, failed]: one reduction. A failed rank contributes
  // zeros and a flag (its value may be NaN or unset).
  const Eigen::Index n = gradient != nullptr ? p : 0;
  if (gradient != nullptr && local_gradient.size() != p) ok = false;
  Eigen::VectorXd packed = Eigen::VectorXd::Zero(n + 2);
  if (ok) {
    packed[0] = local_value;
    if (n > 0) packed.segment(1, n) = local_gradient;
  }
  packed[n + 1] = ok ? 0.0 : 1.0;
  communicator_.SumInPlace(&packed);
  *value = packed[0];
  if (gradient != nullptr) *gradient = packed.segment(1, n);
  return packed[n + 1] == 0.0;
}

void DistributedModel::ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                            const RowMatrixXd& responses,
                                            Eigen::MatrixXd* sum) const {
  ReduceSymmetric(
      [&](Eigen::MatrixXd* out) {
        local_.ScoreOuterProductSum(theta, responses, out);
        return true;
      },
      sum);
}

bool DistributedModel::ExpectedFisher(const Eigen::VectorXd& theta,
                                      Eigen::MatrixXd* fisher) const {
  return ReduceSymmetric(
      [&](Eigen::MatrixXd* out) { return local_.ExpectedFisher(theta, out); },
      fisher);
}

bool DistributedModel::GaussNewton(const Eigen::VectorXd& theta,
                                   Eigen::MatrixXd* gauss_newton) const {
  return ReduceSymmetric(
      [&](Eigen::MatrixXd* out) { return local_.GaussNewton(theta, out); },
      gauss_newton);
}

bool DistributedModel::Hessian(const Eigen::VectorXd& theta,
                               Eigen::MatrixXd* hessian) const {
  return ReduceSymmetric(
      [&](Eigen::MatrixXd* out) { return local_.Hessian(theta, out); },
      hessian);
}

bool DistributedModel::HessianAtResponses(const Eigen::VectorXd& theta,
                                          const RowMatrixXd& responses,
                                          Eigen::MatrixXd* hessian) const {
  return ReduceSymmetric(
      [&](Eigen::MatrixXd* out) {
        return local_.HessianAtResponses(theta, responses, out);
      },
      hessian);
}

bool DistributedModel::CurvatureApply(CurvatureProduct which,
                                      const Eigen::VectorXd& theta,
                                      const Eigen::VectorXd& v,
                                      Eigen::VectorXd* product) const {
  return ReduceVector(
      [&](Eigen::VectorXd* out) {
        return local_.CurvatureApply(which, theta, v, out);
      },
      product);
}

bool DistributedModel::CurvatureDiagonal(CurvatureProduct which,
                                         const Eigen::VectorXd& theta,
                                         Eigen::VectorXd* diagonal) const {
  return ReduceVector(
      [&](Eigen::VectorXd* out) {
        return local_.CurvatureDiagonal(which, theta, out);
      },
      diagonal);
}

bool DistributedModel::KlDivergence(const Eigen::VectorXd& theta,
                                    const Eigen::VectorXd& theta2,
                                    double* kl) const {
  double local_kl = 0.0;
  const bool ok = local_.KlDivergence(theta, theta2, &local_kl);
  double packed[2] = {ok ? local_kl : 0.0, ok ? 0.0 : 1.0};
  communicator_.SumInPlace(packed, 2);
  *kl = packed[0];
  return packed[1] == 0.0;
}

bool DistributedModel::ApproximateCurvature(
    CurvatureProduct which, const Eigen::VectorXd& theta,
    const CurvatureApproximation& approximation,
    Eigen::MatrixXd* curvature) const {
  // A row subset drawn over the local rows is not the subset one process
  // would draw: refused on every rank alike (no reduction is entered).
  if (approximation.row_scales != nullptr && communicator_.size() > 1) {
    return false;
  }
  return ReduceSymmetric(
      [&](Eigen::MatrixXd* out) {
        return local_.ApproximateCurvature(which, theta, approximation, out);
      },
      curvature);
}

std::unique_ptr<ResidualForm> DistributedModel::CreateResidualForm() const {
  if (communicator_.size() > 1) return nullptr;
  return local_.CreateResidualForm();
}

bool DistributedModel::GaussNewtonFactor(const Eigen::VectorXd& theta,
                                         Eigen::MatrixXd* factor,
                                         Eigen::VectorXd* residuals) const {
  if (communicator_.size() > 1) return false;
  return local_.GaussNewtonFactor(theta, factor, residuals);
}

}  // namespace fisheropt
