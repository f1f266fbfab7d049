#include "problems/softmax_model.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "linalg/parallel_chunks.h"
#include "linalg/weighted_gram.h"
#include "problems/sample_nll_residual_form.h"

namespace fisheropt {
namespace {

// True when y is an integer class label in 0..K−1.
bool IsClassLabel(double y, int num_classes) {
  return y >= 0.0 && y < num_classes && y == std::floor(y);
}

}  // namespace

namespace {

// The largest of η_0 = 0, η_1, … (its index, −1 for the reference) and the
// sum of e^{η_k − m} over the other classes. Its own term is 1 and the rest
// are ≤ 1, so log Σ_k e^{η_k} = m + log1p(rest) neither overflows nor loses
// the small terms.
struct ShiftedSum {
  Eigen::Index largest = -1;
  double m = 0.0;
  double rest = 0.0;
};

ShiftedSum ShiftedExponentialSum(
    const Eigen::Ref<const Eigen::RowVectorXd>& eta) {
  ShiftedSum sum;
  for (Eigen::Index k = 0; k < eta.size(); ++k) {
    if (eta[k] > sum.m) {
      sum.m = eta[k];
      sum.largest = k;
    }
  }
  if (sum.largest >= 0) sum.rest = std::exp(-sum.m);
  for (Eigen::Index k = 0; k < eta.size(); ++k) {
    if (k != sum.largest) sum.rest += std::exp(eta[k] - sum.m);
  }
  return sum;
}

}  // namespace

double SoftmaxLogNormalizer(const Eigen::Ref<const Eigen::RowVectorXd>& eta) {
  const ShiftedSum sum = ShiftedExponentialSum(eta);
  return sum.m + std::log1p(sum.rest);
}

double SoftmaxLogProbabilities(const Eigen::Ref<const Eigen::RowVectorXd>& eta,
                               Eigen::RowVectorXd* log_probabilities) {
  // log μ_k = (η_k − m) − log1p(rest): the largest class gets exactly
  // −log1p(rest) (no rounding of m + log1p(rest) − m).
  const ShiftedSum sum = ShiftedExponentialSum(eta);
  const double log_rest = std::log1p(sum.rest);
  log_probabilities->resize(eta.size() + 1);
  (*log_probabilities)[0] = -sum.m - log_rest;
  log_probabilities->tail(eta.size()) = (eta.array() - sum.m) - log_rest;
  return sum.m + log_rest;
}

int SampleCategorical(const Eigen::Ref<const Eigen::RowVectorXd>& probabilities,
                      RandomEngine* rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  return CategoryOfUniform(probabilities, uniform(*rng));
}

int CategoryOfUniform(const Eigen::Ref<const Eigen::RowVectorXd>& probabilities,
                      double u) {
  const int last = static_cast<int>(probabilities.size()) - 1;
  double cumulative = 0.0;
  for (int k = 0; k < last; ++k) {
    cumulative += probabilities[k];
    if (u < cumulative) return k;
  }
  return last;
}

std::unique_ptr<SoftmaxModel> SoftmaxModel::Create(Dataset data,
                                                   int num_classes,
                                                   std::string* error) {
  std::ostringstream message;
  std::string data_error;
  if (num_classes < 2) {
    message << "the softmax model needs num_classes >= 2, got " << num_classes;
  } else if (!data.IsValid(&data_error)) {
    message << data_error;
  } else if (data.HasWeights() || data.HasOffset()) {
    message << "softmax does not support prior weights or an offset";
  } else if (data.NumSamples() < data.NumFeatures()) {
    message << data.NumSamples() << " observations but " << data.NumFeatures()
            << " coefficients per class: softmax needs at least as many "
               "observations as columns of X (X has rank at most "
            << data.NumSamples() << ", so the Fisher matrix has rank at most "
            << data.NumSamples() * (num_classes - 1) << " < "
            << data.NumFeatures() * (num_classes - 1) << " parameters)";
  } else {
    for (int i = 0; i < data.NumSamples(); ++i) {
      if (!IsClassLabel(data.y[i], num_classes)) {
        message << "response " << data.y[i] << " in row " << i
                << " is not a class label of the softmax model with "
                << num_classes << " classes (an integer in 0.."
                << num_classes - 1 << ")";
        break;
      }
    }
  }
  if (message.tellp() != 0) {
    if (error != nullptr) *error = message.str();
    return nullptr;
  }
  return std::unique_ptr<SoftmaxModel>(
      new SoftmaxModel(std::move(data), num_classes));
}

SoftmaxModel::SoftmaxModel(Dataset data, int num_classes)
    : data_(std::move(data)), num_classes_(num_classes) {
  responses_ = data_.y;
}

std::vector<std::string> SoftmaxModel::ParameterNames() const {
  const std::vector<std::string> columns = ColumnNamesOrDefault(data_);
  std::vector<std::string> names;
  for (int k = 1; k < num_classes_; ++k) {
    for (const std::string& column : columns) {
      names.push_back("class" + std::to_string(k) + ":" + column);
    }
  }
  return names;
}

std::vector<ParameterGroup> SoftmaxModel::ParameterGroups() const {
  std::vector<ParameterGroup> groups;
  const int p = NumFeatures();
  for (int k = 1; k < num_classes_; ++k) {
    groups.push_back(
        ParameterGroup{"class" + std::to_string(k), (k - 1) * p, p});
  }
  return groups;
}

RowMatrixXd SoftmaxModel::ChunkLogProbabilities(const Eigen::VectorXd& theta,
                                                long begin, long count) const {
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  const Eigen::Map<const Eigen::MatrixXd> beta(theta.data(), p, m);
  const RowMatrixXd eta = data_.x.middleRows(begin, count) * beta;
  RowMatrixXd log_probabilities(count, num_classes_);
  Eigen::RowVectorXd row;
  for (long i = 0; i < count; ++i) {
    SoftmaxLogProbabilities(eta.row(i), &row);
    log_probabilities.row(i) = row;
  }
  return log_probabilities;
}

RowMatrixXd SoftmaxModel::Probabilities(const Eigen::VectorXd& theta) const {
  return ChunkLogProbabilities(theta, 0, NumSamples()).array().exp();
}

bool SoftmaxModel::Evaluate(const Eigen::VectorXd& theta, double* value,
                            Eigen::VectorXd* gradient) const {
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  ValueAndGradient zero;
  if (gradient != nullptr) zero.gradient = Eigen::VectorXd::Zero(p * m);
  const ValueAndGradient total = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, zero,
      [&](int, long begin, long count, ValueAndGradient* partial) {
        const RowMatrixXd log_probabilities =
            ChunkLogProbabilities(theta, begin, count);
        Eigen::MatrixXd residual;  // μ − e_y over classes 1..K−1
        if (gradient != nullptr) {
          residual = log_probabilities.rightCols(m).array().exp();
        }
        for (long i = 0; i < count; ++i) {
          const int label = static_cast<int>(data_.y[begin + i]);
          partial->value -= log_probabilities(i, label);
          if (gradient != nullptr && label > 0) residual(i, label - 1) -= 1.0;
        }
        if (gradient != nullptr) {
          Eigen::Map<Eigen::MatrixXd> sum(partial->gradient.data(), p, m);
          sum.noalias() +=
              data_.x.middleRows(begin, count).transpose() * residual;
        }
      });
  *value = total.value;
  if (gradient != nullptr) *gradient = total.gradient;
  return std::isfinite(*value) &&
         (gradient == nullptr || gradient->allFinite());
}

void SoftmaxModel::LogLikelihoods(const Eigen::VectorXd& theta,
                                  const RowMatrixXd& responses, int begin,
                                  int count,
                                  Eigen::VectorXd* log_likelihoods) const {
  const RowMatrixXd log_probabilities =
      ChunkLogProbabilities(theta, begin, count);
  log_likelihoods->resize(count);
  for (int i = 0; i < count; ++i) {
    const double y = responses(begin + i, 0);
    (*log_likelihoods)[i] = IsClassLabel(y, num_classes_)
                                ? log_probabilities(i, static_cast<int>(y))
                                : std::numeric_limits<double>::quiet_NaN();
  }
}

Eigen::MatrixXd SoftmaxModel::ChunkResiduals(const Eigen::VectorXd& theta,
                                             const RowMatrixXd& responses,
                                             long begin, long count) const {
  const int m = num_classes_ - 1;
  Eigen::MatrixXd residual =
      -ChunkLogProbabilities(theta, begin, count).rightCols(m).array().exp();
  for (long i = 0; i < count; ++i) {
    const double y = responses(begin + i, 0);
    if (!IsClassLabel(y, num_classes_)) {
      residual.row(i).setConstant(std::numeric_limits<double>::quiet_NaN());
    } else if (y > 0.0) {
      residual(i, static_cast<int>(y) - 1) += 1.0;
    }
  }
  return residual;
}

void SoftmaxModel::Scores(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses, int begin, int count,
                          Eigen::MatrixXd* scores) const {
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  const Eigen::MatrixXd residual =
      ChunkResiduals(theta, responses, begin, count);
  const auto block = data_.x.middleRows(begin, count);
  scores->resize(count, p * m);
  for (int k = 0; k < m; ++k) {
    scores->middleCols(k * p, p) = residual.col(k).asDiagonal() * block;
  }
}

template <typename BlockWeights>
void SoftmaxModel::BlockGram(BlockWeights weights,
                             const Eigen::VectorXd* row_scales,
                             GramPrecision precision,
                             Eigen::MatrixXd* result) const {
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  result->resize(p * m, p * m);
  Eigen::MatrixXd gram;
  for (int k = 0; k < m; ++k) {
    for (int l = k; l < m; ++l) {
      Eigen::VectorXd w = weights(k, l);
      if (row_scales != nullptr) {
        // A skipped row stays 0 even where its weight is not finite.
        for (Eigen::Index i = 0; i < w.size(); ++i) {
          const double scale = (*row_scales)[i];
          w[i] = scale == 0.0 ? 0.0 : scale * w[i];
        }
      }
      WeightedGram(data_.x, w, &gram, precision);
      result->block(k * p, l * p, p, p) = gram;
      if (l != k) result->block(l * p, k * p, p, p) = gram.transpose();
    }
  }
}

void SoftmaxModel::ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                        const RowMatrixXd& responses,
                                        Eigen::MatrixXd* sum) const {
  const Eigen::MatrixXd residual =
      ChunkResiduals(theta, responses, 0, NumSamples());
  BlockGram(
      [&](int k, int l) -> Eigen::VectorXd {
        return residual.col(k).cwiseProduct(residual.col(l));
      },
      nullptr, GramPrecision::kDouble, sum);
}

void SoftmaxModel::SampleResponses(const Eigen::VectorXd& theta,
                                   RandomEngine* rng,
                                   RowMatrixXd* responses) const {
  const RowMatrixXd probabilities = Probabilities(theta);
  responses->resize(NumSamples(), 1);
  DrawRows(FirstRow(), NumSamples(), rng, [&](long i, RowRandomEngine* engine) {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    (*responses)(i, 0) =
        CategoryOfUniform(probabilities.row(i), uniform(*engine));
  });
}

bool SoftmaxModel::ExpectedFisher(const Eigen::VectorXd& theta,
                                  Eigen::MatrixXd* fisher) const {
  return ApproximateCurvature(CurvatureProduct::kExpectedFisher, theta,
                              CurvatureApproximation(), fisher);
}

bool SoftmaxModel::ApproximateCurvature(
    CurvatureProduct which, const Eigen::VectorXd& theta,
    const CurvatureApproximation& approximation,
    Eigen::MatrixXd* fisher) const {
  if (!approximation.Fits(which, NumSamples())) return false;
  const Eigen::VectorXd* row_scales = approximation.row_scales;
  const int m = num_classes_ - 1;
  const RowMatrixXd log_probabilities =
      ChunkLogProbabilities(theta, 0, NumSamples());
  const Eigen::MatrixXd mu = log_probabilities.rightCols(m).array().exp();
  BlockGram(
      [&](int k, int l) -> Eigen::VectorXd {
        if (k != l) return -mu.col(k).cwiseProduct(mu.col(l));
        // μ(1 − μ) with 1 − μ = −expm1(log μ): exact also when μ → 1.
        return mu.col(k).cwiseProduct(
            (-log_probabilities.col(k + 1).array().unaryExpr([](double x) {
              return std::expm1(x);
            })).matrix());
      },
      row_scales, approximation.precision, fisher);
  return fisher->allFinite();
}

bool SoftmaxModel::HessianAtResponses(const Eigen::VectorXd& theta,
                                      const RowMatrixXd& /*responses*/,
                                      Eigen::MatrixXd* hessian) const {
  return ExpectedFisher(theta, hessian);
}

bool SoftmaxModel::CurvatureApply(CurvatureProduct which,
                                  const Eigen::VectorXd& theta,
                                  const Eigen::VectorXd& v,
                                  Eigen::VectorXd* product) const {
  if (which == CurvatureProduct::kScoreOuterProductSum) return false;
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  const Eigen::Map<const Eigen::MatrixXd> directions(v.data(), p, m);
  *product = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, Eigen::VectorXd::Zero(p * m).eval(),
      [&](int, long begin, long count, Eigen::VectorXd* partial) {
        const auto block = data_.x.middleRows(begin, count);
        const Eigen::MatrixXd mu = ChunkLogProbabilities(theta, begin, count)
                                       .rightCols(m)
                                       .array()
                                       .exp();
        const Eigen::MatrixXd u = block * directions;  // count × m
        const Eigen::VectorXd mean = mu.cwiseProduct(u).rowwise().sum();
        const Eigen::MatrixXd z =
            mu.cwiseProduct(u - mean.replicate(1, m));  // μ_k (u_k − Σ μ_l u_l)
        Eigen::Map<Eigen::MatrixXd> sum(partial->data(), p, m);
        sum.noalias() += block.transpose() * z;
      });
  return product->allFinite();
}

bool SoftmaxModel::CurvatureDiagonal(CurvatureProduct which,
                                     const Eigen::VectorXd& theta,
                                     Eigen::VectorXd* diagonal) const {
  if (which == CurvatureProduct::kScoreOuterProductSum) return false;
  const int p = NumFeatures();
  const int m = num_classes_ - 1;
  *diagonal = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, Eigen::VectorXd::Zero(p * m).eval(),
      [&](int, long begin, long count, Eigen::VectorXd* partial) {
        const Eigen::MatrixXd log_mu =
            ChunkLogProbabilities(theta, begin, count).rightCols(m);
        const Eigen::MatrixXd weights =
            log_mu.array().exp() *
            -log_mu.array().unaryExpr([](double x) { return std::expm1(x); });
        Eigen::Map<Eigen::MatrixXd> sum(partial->data(), p, m);
        sum.noalias() +=
            data_.x.middleRows(begin, count).cwiseAbs2().transpose() * weights;
      });
  return diagonal->allFinite();
}

bool SoftmaxModel::KlDivergence(const Eigen::VectorXd& theta,
                                const Eigen::VectorXd& theta2,
                                double* kl) const {
  *kl = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, 0.0,
      [&](int, long begin, long count, double* partial) {
        const RowMatrixXd log_p = ChunkLogProbabilities(theta, begin, count);
        const RowMatrixXd log_q = ChunkLogProbabilities(theta2, begin, count);
        *partial += (log_p.array().exp() * (log_p - log_q).array()).sum();
      });
  return std::isfinite(*kl);
}

std::unique_ptr<ResidualForm> SoftmaxModel::CreateResidualForm() const {
  return std::make_unique<SampleNllResidualForm>(*this);
}

}  // namespace fisheropt
