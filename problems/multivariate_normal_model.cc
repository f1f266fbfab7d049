#include "problems/multivariate_normal_model.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <sstream>
#include <utility>

#include "problems/row_random.h"

namespace fisheropt {
namespace {

constexpr double kLogTwoPi = 1.8378770664093454836;  // log(2π)

}  // namespace

std::unique_ptr<MultivariateNormalModel> MultivariateNormalModel::Create(
    RowMatrixXd samples, std::string* error) {
  std::ostringstream message;
  const Eigen::Index n = samples.rows();
  const Eigen::Index d = samples.cols();
  if (d == 0) {
    message << "mvn needs at least one variable";
  } else if (n <= d) {
    message << n << " samples but " << d
            << " variables: mvn needs more samples than variables (the "
               "sample covariance of N <= d samples has rank at most N - 1 "
               "< d, so it is singular and the MLE does not exist)";
  } else if (!samples.allFinite()) {
    for (Eigen::Index i = 0; i < n && message.tellp() == 0; ++i) {
      for (Eigen::Index j = 0; j < d; ++j) {
        if (!std::isfinite(samples(i, j))) {
          message << "non-finite value " << samples(i, j) << " in row " << i
                  << ", column " << j;
          break;
        }
      }
    }
  }
  if (message.tellp() == 0) {
    auto model = std::unique_ptr<MultivariateNormalModel>(
        new MultivariateNormalModel(std::move(samples)));
    Eigen::LLT<Eigen::MatrixXd> cholesky(model->scatter_);
    const double scale = model->scatter_.diagonal().maxCoeff();
    if (cholesky.info() == Eigen::Success &&
        cholesky.matrixL().toDenseMatrix().diagonal().minCoeff() >
            1e-7 * std::sqrt(scale)) {
      return model;
    }
    message << "mvn: the sample covariance is singular (a variable is "
               "constant or a linear combination of the others)";
  }
  if (error != nullptr) *error = message.str();
  return nullptr;
}

MultivariateNormalModel::MultivariateNormalModel(RowMatrixXd samples)
    : dimension_(static_cast<int>(samples.cols())),
      samples_(std::move(samples)) {
  sample_mean_ = samples_.colwise().mean().transpose();
  const RowMatrixXd centered = samples_.rowwise() - sample_mean_.transpose();
  scatter_ = Eigen::MatrixXd::Zero(dimension_, dimension_);
  scatter_.selfadjointView<Eigen::Lower>().rankUpdate(centered.transpose());
  scatter_.triangularView<Eigen::StrictlyUpper>() = scatter_.transpose();
}

int MultivariateNormalModel::NumParameters() const {
  return dimension_ + dimension_ * (dimension_ + 1) / 2;
}

int MultivariateNormalModel::FactorIndex(int j, int k) const {
  // Columns of the lower triangle, stored one after the other.
  return dimension_ + k * (2 * dimension_ - k + 1) / 2 + (j - k);
}

Eigen::MatrixXd MultivariateNormalModel::PrecisionFactor(
    const Eigen::VectorXd& theta) const {
  const int d = dimension_;
  Eigen::MatrixXd factor = Eigen::MatrixXd::Zero(d, d);
  for (int k = 0; k < d; ++k) {
    factor(k, k) = std::exp(theta[FactorIndex(k, k)]);
    for (int j = k + 1; j < d; ++j) factor(j, k) = theta[FactorIndex(j, k)];
  }
  return factor;
}

double MultivariateNormalModel::LogDetFactor(
    const Eigen::VectorXd& theta) const {
  double sum = 0.0;
  for (int k = 0; k < dimension_; ++k) sum += theta[FactorIndex(k, k)];
  return sum;
}

Eigen::VectorXd MultivariateNormalModel::ParametersFromMoments(
    const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance) {
  const int d = static_cast<int>(mean.size());
  // Λ = Σ⁻¹ = L Lᵀ. With Σ = U Uᵀ (Cholesky), Λ = U⁻ᵀ U⁻¹; L is the Cholesky
  // factor of Λ, computed from a solve rather than an explicit inverse.
  const Eigen::MatrixXd precision = Eigen::LLT<Eigen::MatrixXd>(covariance)
                                        .solve(Eigen::MatrixXd::Identity(d, d));
  const Eigen::MatrixXd factor =
      Eigen::LLT<Eigen::MatrixXd>(0.5 * (precision + precision.transpose()))
          .matrixL();
  Eigen::VectorXd theta(d + d * (d + 1) / 2);
  theta.head(d) = mean;
  int index = d;
  for (int k = 0; k < d; ++k) {
    theta[index++] = std::log(factor(k, k));
    for (int j = k + 1; j < d; ++j) theta[index++] = factor(j, k);
  }
  return theta;
}

Eigen::VectorXd MultivariateNormalModel::Mean(
    const Eigen::VectorXd& theta) const {
  return theta.head(dimension_);
}

Eigen::MatrixXd MultivariateNormalModel::Covariance(
    const Eigen::VectorXd& theta) const {
  // Σ = (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ = Wᵀ W with W = L⁻¹ (a triangular solve).
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const Eigen::MatrixXd w = factor.triangularView<Eigen::Lower>().solve(
      Eigen::MatrixXd::Identity(dimension_, dimension_));
  return w.transpose() * w;
}

Eigen::VectorXd MultivariateNormalModel::MaximumLikelihoodParameters() const {
  return ParametersFromMoments(sample_mean_,
                               scatter_ / static_cast<double>(NumSamples()));
}

std::vector<std::string> MultivariateNormalModel::ParameterNames() const {
  std::vector<std::string> names;
  for (int j = 0; j < dimension_; ++j) {
    names.push_back("mu[" + std::to_string(j) + "]");
  }
  for (int k = 0; k < dimension_; ++k) {
    names.push_back("log L[" + std::to_string(k) + "," + std::to_string(k) +
                    "]");
    for (int j = k + 1; j < dimension_; ++j) {
      names.push_back("L[" + std::to_string(j) + "," + std::to_string(k) + "]");
    }
  }
  return names;
}

bool MultivariateNormalModel::Evaluate(const Eigen::VectorXd& theta,
                                       double* value,
                                       Eigen::VectorXd* gradient) const {
  const int d = dimension_;
  const double n = NumSamples();
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  // Σ_i r_i r_iᵀ = scatter + N δ δᵀ and Σ_i r_i = N δ, with δ = x̄ − μ.
  const Eigen::VectorXd delta = sample_mean_ - theta.head(d);
  const Eigen::MatrixXd second = scatter_ + n * delta * delta.transpose();
  const Eigen::MatrixXd second_times_factor = second * factor;  // G = R L
  const double log_det_factor = LogDetFactor(theta);  // Σ_k a_k = log det L
  // L(θ) = N d/2 log 2π − N Σ a_k + ½ tr(Lᵀ R L).
  *value = 0.5 * n * d * kLogTwoPi - n * log_det_factor +
           0.5 * second_times_factor.cwiseProduct(factor).sum();
  if (gradient != nullptr) {
    gradient->resize(NumParameters());
    // ∂L/∂μ = −Λ Σ_i r_i = −L Lᵀ (N δ).
    gradient->head(d) = -n * (factor * (factor.transpose() * delta));
    for (int k = 0; k < d; ++k) {
      (*gradient)[FactorIndex(k, k)] =
          second_times_factor(k, k) * factor(k, k) - n;
      for (int j = k + 1; j < d; ++j) {
        (*gradient)[FactorIndex(j, k)] = second_times_factor(j, k);
      }
    }
  }
  return std::isfinite(*value) &&
         (gradient == nullptr || gradient->allFinite());
}

void MultivariateNormalModel::LogLikelihoods(
    const Eigen::VectorXd& theta, const RowMatrixXd& responses, int begin,
    int count, Eigen::VectorXd* log_likelihoods) const {
  const int d = dimension_;
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const double log_det_factor = LogDetFactor(theta);
  const RowMatrixXd residuals =
      responses.middleRows(begin, count).rowwise() - theta.head(d).transpose();
  const RowMatrixXd z = residuals * factor;  // row i: z_iᵀ = r_iᵀ L
  *log_likelihoods = (-0.5 * z.rowwise().squaredNorm()).array() +
                     log_det_factor - 0.5 * d * kLogTwoPi;
}

void MultivariateNormalModel::Scores(const Eigen::VectorXd& theta,
                                     const RowMatrixXd& responses, int begin,
                                     int count, Eigen::MatrixXd* scores) const {
  const int d = dimension_;
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const RowMatrixXd residuals =
      responses.middleRows(begin, count).rowwise() - theta.head(d).transpose();
  const RowMatrixXd z = residuals * factor;
  scores->resize(count, NumParameters());
  scores->leftCols(d) = z * factor.transpose();  // (Λ r_i)ᵀ = z_iᵀ Lᵀ
  for (int k = 0; k < d; ++k) {
    scores->col(FactorIndex(k, k)) =
        (1.0 - factor(k, k) * residuals.col(k).cwiseProduct(z.col(k)).array())
            .matrix();
    for (int j = k + 1; j < d; ++j) {
      scores->col(FactorIndex(j, k)) = -residuals.col(j).cwiseProduct(z.col(k));
    }
  }
}

void MultivariateNormalModel::SampleResponses(const Eigen::VectorXd& theta,
                                              RandomEngine* rng,
                                              RowMatrixXd* responses) const {
  const int d = dimension_;
  RowMatrixXd noise(NumSamples(), d);
  DrawRows(FirstRow(), NumSamples(), rng, [&](long i, RowRandomEngine* engine) {
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int j = 0; j < d; ++j) noise(i, j) = normal(*engine);
  });
  // x = μ + L⁻ᵀ ε has covariance L⁻ᵀ L⁻¹ = Σ. Row-wise: x_iᵀ = ε_iᵀ L⁻¹,
  // i.e. solve X' L = E on the right.
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  factor.triangularView<Eigen::Lower>().solveInPlace<Eigen::OnTheRight>(noise);
  *responses = noise.rowwise() + theta.head(d).transpose();
}

Eigen::MatrixXd MultivariateNormalModel::CurvatureFromMoments(
    const Eigen::MatrixXd& factor, const Eigen::MatrixXd& second,
    const Eigen::VectorXd& first,
    const Eigen::VectorXd& diagonal_gradient) const {
  const int d = dimension_;
  const double n = NumSamples();
  const int p = NumParameters();
  // Curvature in the raw coordinates (μ, L_jk with L_kk itself, not a_k):
  //   μμ:              N Λ
  //   (L_jk, L_mn):    δ_kn R_jm
  //   (L_jk, μ_m):     −δ_jm (Lᵀ s)_k − L_mk s_j      (s = Σ r_i)
  Eigen::MatrixXd raw = Eigen::MatrixXd::Zero(p, p);
  raw.topLeftCorner(d, d) = n * factor * factor.transpose();
  const Eigen::VectorXd factor_t_first = factor.transpose() * first;
  for (int k = 0; k < d; ++k) {
    for (int j = k; j < d; ++j) {
      const int row = FactorIndex(j, k);
      for (int m = k; m < d; ++m) raw(row, FactorIndex(m, k)) = second(j, m);
      for (int m = 0; m < d; ++m) {
        raw(row, m) =
            -(m == j ? factor_t_first[k] : 0.0) - factor(m, k) * first[j];
        raw(m, row) = raw(row, m);
      }
    }
  }
  // Chain rule to a_k = log L_kk: scale rows and columns by dL_kk/da_k = L_kk,
  // and add the first-order term (∂/∂L_kk) · L_kk on the diagonal.
  Eigen::VectorXd jacobian = Eigen::VectorXd::Ones(p);
  for (int k = 0; k < d; ++k) jacobian[FactorIndex(k, k)] = factor(k, k);
  Eigen::MatrixXd curvature =
      jacobian.asDiagonal() * raw * jacobian.asDiagonal();
  for (int k = 0; k < d; ++k) {
    curvature(FactorIndex(k, k), FactorIndex(k, k)) += diagonal_gradient[k];
  }
  // Exactly symmetric whatever the rounding of the products (FMA).
  curvature.triangularView<Eigen::StrictlyUpper>() = curvature.transpose();
  return curvature;
}

bool MultivariateNormalModel::Hessian(const Eigen::VectorXd& theta,
                                      Eigen::MatrixXd* hessian) const {
  const int d = dimension_;
  const double n = NumSamples();
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const Eigen::VectorXd delta = sample_mean_ - theta.head(d);
  const Eigen::MatrixXd second = scatter_ + n * delta * delta.transpose();
  const Eigen::VectorXd diagonal_gradient =
      (second * factor).diagonal().cwiseProduct(factor.diagonal());
  *hessian = CurvatureFromMoments(factor, second, n * delta, diagonal_gradient);
  return true;
}

bool MultivariateNormalModel::ExpectedFisher(const Eigen::VectorXd& theta,
                                             Eigen::MatrixXd* fisher) const {
  // Under the model E[r rᵀ] = Σ and E[r] = 0, and E[(R L)_kk] L_kk
  // = N (Σ L)_kk L_kk = N (L⁻ᵀ)_kk L_kk = N.
  const int d = dimension_;
  const double n = NumSamples();
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  *fisher = CurvatureFromMoments(factor, n * Covariance(theta),
                                 Eigen::VectorXd::Zero(d),
                                 Eigen::VectorXd::Constant(d, n));
  return true;
}

std::vector<ParameterGroup> MultivariateNormalModel::ParameterGroups() const {
  return {ParameterGroup{"mean", 0, dimension_},
          ParameterGroup{"precision factor", dimension_,
                         dimension_ * (dimension_ + 1) / 2}};
}

bool MultivariateNormalModel::HessianAtResponses(
    const Eigen::VectorXd& theta, const RowMatrixXd& responses,
    Eigen::MatrixXd* hessian) const {
  const int d = dimension_;
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const RowMatrixXd residuals = responses.rowwise() - theta.head(d).transpose();
  Eigen::MatrixXd second = Eigen::MatrixXd::Zero(d, d);
  second.selfadjointView<Eigen::Lower>().rankUpdate(residuals.transpose());
  second.triangularView<Eigen::StrictlyUpper>() = second.transpose();
  const Eigen::VectorXd first = residuals.colwise().sum().transpose();
  const Eigen::VectorXd diagonal_gradient =
      (second * factor).diagonal().cwiseProduct(factor.diagonal());
  *hessian = CurvatureFromMoments(factor, second, first, diagonal_gradient);
  return true;
}

bool MultivariateNormalModel::KlDivergence(const Eigen::VectorXd& theta,
                                           const Eigen::VectorXd& theta2,
                                           double* kl) const {
  const int d = dimension_;
  const Eigen::MatrixXd factor = PrecisionFactor(theta);
  const Eigen::MatrixXd factor2 = PrecisionFactor(theta2);
  // Σ1 = W1ᵀ W1 with W1 = L1⁻¹, so tr(Λ2 Σ1) = ‖W1 L2‖²_F.
  const Eigen::MatrixXd w1_l2 =
      factor.triangularView<Eigen::Lower>().solve(factor2);
  const Eigen::VectorXd delta = theta2.head(d) - theta.head(d);
  const double quadratic = (factor2.transpose() * delta).squaredNorm();
  // log det Σ2 − log det Σ1 = 2 (log det L1 − log det L2).
  const double log_det_ratio =
      2.0 * (LogDetFactor(theta) - LogDetFactor(theta2));
  *kl = 0.5 * NumSamples() *
        (w1_l2.squaredNorm() + quadratic - d + log_det_ratio);
  return std::isfinite(*kl);
}

}  // namespace fisheropt
