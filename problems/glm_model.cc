#include "problems/glm_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>
#include <vector>

#include "linalg/parallel_chunks.h"
#include "linalg/weighted_gram.h"
#include "problems/glm_residual_form.h"
#include "problems/row_random.h"

namespace fisheropt {
namespace {

constexpr char kInterceptName[] = "(Intercept)";

}  // namespace

bool GlmOptions::IsValid(std::string* error) const {
  std::ostringstream message;
  if (!(std::isfinite(l2_penalty) && l2_penalty >= 0.0)) {
    message << "GlmOptions::l2_penalty = " << l2_penalty
            << " must be finite and >= 0";
  } else if (intercept_column < kNoIntercept) {
    message << "GlmOptions::intercept_column = " << intercept_column
            << " must be a column index, kDetectIntercept (-1) or "
               "kNoIntercept (-2)";
  }
  if (message.tellp() == 0) return true;
  if (error != nullptr) *error = message.str();
  return false;
}

std::unique_ptr<GlmModel> GlmModel::Create(Dataset data, GlmFamilyType family,
                                           std::string* error) {
  return Create(std::move(data), family, GlmOptions(), error);
}

std::unique_ptr<GlmModel> GlmModel::Create(Dataset data, GlmFamilyType family,
                                           const GlmOptions& options,
                                           std::string* error) {
  return Create(std::move(data), CreateGlmFamily(family), options, error);
}

std::unique_ptr<GlmModel> GlmModel::Create(Dataset data,
                                           std::unique_ptr<GlmFamily> family,
                                           const GlmOptions& options,
                                           std::string* error) {
  if (family == nullptr) {
    if (error != nullptr) *error = "GlmModel::Create needs a family (got null)";
    return nullptr;
  }
  std::string message;
  if (!options.IsValid(&message) || !data.IsValid(&message)) {
    if (error != nullptr) *error = message;
    return nullptr;
  }
  if (data.NumSamples() < data.NumFeatures()) {
    if (error != nullptr) {
      std::ostringstream stream;
      stream << data.NumSamples() << " observations but " << data.NumFeatures()
             << " coefficients: a GLM needs at least as many observations as "
                "coefficients (X has rank at most "
             << data.NumSamples() << ", so the Fisher matrix is singular)";
      *error = stream.str();
    }
    return nullptr;
  }
  int intercept_column = options.intercept_column;
  if (intercept_column >= data.NumFeatures()) {
    if (error != nullptr) {
      std::ostringstream stream;
      stream << "GlmOptions::intercept_column = " << intercept_column
             << " must be less than the number of columns ("
             << data.NumFeatures() << ")";
      *error = stream.str();
    }
    return nullptr;
  }
  if (intercept_column == GlmOptions::kDetectIntercept) {
    intercept_column = GlmOptions::kNoIntercept;
    for (size_t j = 0; j < data.column_names.size(); ++j) {
      if (data.column_names[j] == kInterceptName) {
        intercept_column = static_cast<int>(j);
        break;
      }
    }
  }
  for (int i = 0; i < data.NumSamples(); ++i) {
    if (!family->IsValidResponse(data.y[i])) {
      if (error != nullptr) {
        std::ostringstream stream;
        stream << "response " << data.y[i] << " in row " << i
               << " is outside the support of the " << family->Name()
               << " model";
        *error = stream.str();
      }
      return nullptr;
    }
  }
  return std::unique_ptr<GlmModel>(new GlmModel(
      std::move(data), std::move(family), options, intercept_column));
}

GlmModel::GlmModel(Dataset data, std::unique_ptr<GlmFamily> family,
                   const GlmOptions& options, int intercept_column)
    : data_(std::move(data)), options_(options), family_(std::move(family)) {
  responses_ = data_.y;
  penalty_diagonal_ =
      Eigen::VectorXd::Constant(data_.NumFeatures(), options_.l2_penalty);
  if (intercept_column >= 0) penalty_diagonal_[intercept_column] = 0.0;
}

std::vector<std::string> GlmModel::ParameterNames() const {
  return ColumnNamesOrDefault(data_);
}

Eigen::VectorXd GlmModel::LinearPredictor(const Eigen::VectorXd& beta) const {
  // Chunked over rows on every thread (Eigen's matrix-vector product is
  // single-threaded, and this is a whole pass over X).
  const long n = NumSamples();
  Eigen::VectorXd eta(n);
  const long num_chunks = (n + kRowsPerChunk - 1) / kRowsPerChunk;
#pragma omp parallel for schedule(static) if (num_chunks >= \
                                              kMinChunksForThreads)
  for (long c = 0; c < num_chunks; ++c) {
    const long begin = c * kRowsPerChunk;
    const long count = std::min<long>(kRowsPerChunk, n - begin);
    eta.segment(begin, count).noalias() =
        data_.x.middleRows(begin, count) * beta;
  }
  if (data_.HasOffset()) eta += data_.offset;
  return eta;
}

void GlmModel::ApplyPriorWeights(int begin, Eigen::VectorXd* v) const {
  if (data_.HasWeights()) {
    v->array() *= data_.weights.segment(begin, v->size()).array();
  }
}

void GlmModel::AddPenaltyCurvature(Eigen::MatrixXd* curvature) const {
  if (options_.l2_penalty > 0.0) curvature->diagonal() += penalty_diagonal_;
}

double GlmModel::GaussianDispersion(const Eigen::VectorXd& beta) const {
  Eigen::VectorXd squared = (data_.y - LinearPredictor(beta)).cwiseAbs2();
  ApplyPriorWeights(0, &squared);
  const long num_used = data_.HasWeights()
                            ? (data_.weights.array() > 0.0).count()
                            : static_cast<long>(NumSamples());
  const long degrees_of_freedom = num_used - NumParameters();
  if (degrees_of_freedom <= 0) return std::numeric_limits<double>::quiet_NaN();
  return squared.sum() / static_cast<double>(degrees_of_freedom);
}

double GlmModel::Dispersion(const Eigen::VectorXd& beta) const {
  if (!family_->HasDispersion()) return 1.0;
  const Eigen::VectorXd eta = LinearPredictor(beta);
  double sum = 0.0;
  long num_used = 0;
  for (int i = 0; i < NumSamples(); ++i) {
    const double weight = data_.HasWeights() ? data_.weights[i] : 1.0;
    if (!(weight > 0.0)) continue;
    const double mu = family_->Mean(eta[i]);
    const double residual = data_.y[i] - mu;
    sum += weight * residual * residual / family_->Variance(mu);
    ++num_used;
  }
  const long degrees_of_freedom = num_used - NumParameters();
  if (degrees_of_freedom <= 0) return std::numeric_limits<double>::quiet_NaN();
  return sum / static_cast<double>(degrees_of_freedom);
}

bool GlmModel::Evaluate(const Eigen::VectorXd& theta, double* value,
                        Eigen::VectorXd* gradient) const {
  const int p = NumParameters();
  ValueAndGradient zero;
  if (gradient != nullptr) zero.gradient = Eigen::VectorXd::Zero(p);
  const ValueAndGradient total = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, zero,
      [&](int, long begin, long count, ValueAndGradient* partial) {
        const auto block = data_.x.middleRows(begin, count);
        Eigen::VectorXd eta = block * theta;
        if (data_.HasOffset()) eta += data_.offset.segment(begin, count);
        Eigen::VectorXd log_likelihood, dl_deta;
        family_->Evaluate(eta, data_.y.segment(begin, count), &log_likelihood,
                          gradient != nullptr ? &dl_deta : nullptr, nullptr);
        ApplyPriorWeights(begin, &log_likelihood);
        partial->value -= log_likelihood.sum();
        if (gradient != nullptr) {
          ApplyPriorWeights(begin, &dl_deta);
          partial->gradient.noalias() -= block.transpose() * dl_deta;
        }
      });
  *value = total.value;
  if (gradient != nullptr) *gradient = total.gradient;
  if (options_.l2_penalty > 0.0) {
    *value += 0.5 * theta.dot(penalty_diagonal_.cwiseProduct(theta));
    if (gradient != nullptr) *gradient += penalty_diagonal_.cwiseProduct(theta);
  }
  return std::isfinite(*value) &&
         (gradient == nullptr || gradient->allFinite());
}

void GlmModel::LogLikelihoods(const Eigen::VectorXd& theta,
                              const RowMatrixXd& responses, int begin,
                              int count,
                              Eigen::VectorXd* log_likelihoods) const {
  Eigen::VectorXd eta = data_.x.middleRows(begin, count) * theta;
  if (data_.HasOffset()) eta += data_.offset.segment(begin, count);
  family_->Evaluate(eta, responses.col(0).segment(begin, count),
                    log_likelihoods, nullptr, nullptr);
  ApplyPriorWeights(begin, log_likelihoods);
}

void GlmModel::Scores(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::MatrixXd* scores) const {
  const auto block = data_.x.middleRows(begin, count);
  Eigen::VectorXd eta = block * theta;
  if (data_.HasOffset()) eta += data_.offset.segment(begin, count);
  Eigen::VectorXd dl_deta;
  family_->Evaluate(eta, responses.col(0).segment(begin, count), nullptr,
                    &dl_deta, nullptr);
  ApplyPriorWeights(begin, &dl_deta);
  *scores = dl_deta.asDiagonal() * block;
}

void GlmModel::ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                    const RowMatrixXd& responses,
                                    Eigen::MatrixXd* sum) const {
  Eigen::VectorXd weights;
  CurvatureWeightsAt(CurvatureProduct::kScoreOuterProductSum, theta,
                     responses.col(0), &weights);
  WeightedGram(data_.x, weights, sum);
  AddPenaltyCurvature(sum);
}

void GlmModel::SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                               RowMatrixXd* responses) const {
  const Eigen::VectorXd eta = LinearPredictor(theta);
  responses->resize(NumSamples(), 1);
  DrawRows(FirstRow(), NumSamples(), rng, [&](long i, RowRandomEngine* engine) {
    (*responses)(i, 0) = family_->Draw(eta[i], engine);
  });
}

bool GlmModel::ExpectedFisher(const Eigen::VectorXd& theta,
                              Eigen::MatrixXd* fisher) const {
  Eigen::VectorXd weights;
  CurvatureWeights(CurvatureProduct::kExpectedFisher, theta, &weights);
  WeightedGram(data_.x, weights, fisher);
  AddPenaltyCurvature(fisher);
  return true;
}

bool GlmModel::Hessian(const Eigen::VectorXd& theta,
                       Eigen::MatrixXd* hessian) const {
  return HessianAtResponses(theta, responses_, hessian);
}

void GlmModel::CurvatureWeightsAt(CurvatureProduct which,
                                  const Eigen::VectorXd& theta,
                                  const Eigen::Ref<const Eigen::VectorXd>& y,
                                  Eigen::VectorXd* weights) const {
  WeightsAtPredictor(which, LinearPredictor(theta), y, weights);
  // Frequency weights: sample i counts w_i times, in every curvature (so
  // the score outer products get w_i, not w_i²).
  ApplyPriorWeights(0, weights);
}

void GlmModel::WeightsAtPredictor(CurvatureProduct which,
                                  const Eigen::VectorXd& eta,
                                  const Eigen::Ref<const Eigen::VectorXd>& y,
                                  Eigen::VectorXd* weights) const {
  switch (which) {
    case CurvatureProduct::kHessian:
      family_->Evaluate(eta, y, nullptr, nullptr, weights);
      break;
    case CurvatureProduct::kExpectedFisher:
      family_->ExpectedWeights(eta, weights);
      break;
    case CurvatureProduct::kScoreOuterProductSum: {
      Eigen::VectorXd dl_deta;
      family_->Evaluate(eta, y, nullptr, &dl_deta, nullptr);
      *weights = dl_deta.cwiseAbs2();
      break;
    }
  }
}

void GlmModel::ScaledCurvatureWeights(CurvatureProduct which,
                                      const Eigen::VectorXd& theta,
                                      const Eigen::VectorXd& row_scales,
                                      Eigen::VectorXd* weights) const {
  std::vector<Eigen::Index> kept;
  kept.reserve(static_cast<size_t>(row_scales.size()));
  for (Eigen::Index i = 0; i < row_scales.size(); ++i) {
    if (row_scales[i] != 0.0) kept.push_back(i);
  }
  const long num_kept = static_cast<long>(kept.size());
  // η and y of the kept rows only: a subset costs its share of a pass.
  Eigen::VectorXd eta(num_kept);
  Eigen::VectorXd y(num_kept);
#pragma omp parallel for schedule( \
    static) if (num_kept >= kMinChunksForThreads * kRowsPerChunk)
  for (long k = 0; k < num_kept; ++k) {
    const Eigen::Index i = kept[k];
    eta[k] =
        data_.x.row(i).dot(theta) + (data_.HasOffset() ? data_.offset[i] : 0.0);
    y[k] = data_.y[i];
  }
  Eigen::VectorXd kept_weights;
  WeightsAtPredictor(which, eta, y, &kept_weights);
  // Skipped rows are exactly 0 (whatever their weight would have been, so a
  // non-finite one cannot poison C).
  weights->setZero(row_scales.size());
  for (long k = 0; k < num_kept; ++k) {
    const Eigen::Index i = kept[k];
    (*weights)[i] = row_scales[i] * kept_weights[k] *
                    (data_.HasWeights() ? data_.weights[i] : 1.0);
  }
}

void GlmModel::CurvatureWeights(CurvatureProduct which,
                                const Eigen::VectorXd& theta,
                                Eigen::VectorXd* weights) const {
  CurvatureWeightsAt(which, theta, data_.y, weights);
}

bool GlmModel::ApproximateCurvature(CurvatureProduct which,
                                    const Eigen::VectorXd& theta,
                                    const CurvatureApproximation& approximation,
                                    Eigen::MatrixXd* curvature) const {
  if (!approximation.Fits(which, NumSamples())) return false;
  const Eigen::VectorXd* row_scales = approximation.row_scales;
  Eigen::VectorXd weights;
  if (row_scales != nullptr) {
    ScaledCurvatureWeights(which, theta, *row_scales, &weights);
  } else {
    CurvatureWeights(which, theta, &weights);
  }
  WeightedGram(data_.x, weights, curvature, approximation.precision);
  AddPenaltyCurvature(curvature);
  return true;
}

bool GlmModel::CurvatureApply(CurvatureProduct which,
                              const Eigen::VectorXd& theta,
                              const Eigen::VectorXd& v,
                              Eigen::VectorXd* product) const {
  Eigen::VectorXd weights;
  CurvatureWeights(which, theta, &weights);
  WeightedGramApply(data_.x, weights, v, product);
  if (options_.l2_penalty > 0.0) *product += penalty_diagonal_.cwiseProduct(v);
  return true;
}

bool GlmModel::CurvatureDiagonal(CurvatureProduct which,
                                 const Eigen::VectorXd& theta,
                                 Eigen::VectorXd* diagonal) const {
  Eigen::VectorXd weights;
  CurvatureWeights(which, theta, &weights);
  *diagonal = ParallelChunkSum(
      NumSamples(), kRowsPerChunk,
      Eigen::VectorXd::Zero(NumParameters()).eval(),
      [&](int, long begin, long count, Eigen::VectorXd* partial) {
        partial->noalias() +=
            data_.x.middleRows(begin, count).cwiseAbs2().transpose() *
            weights.segment(begin, count);
      });
  if (options_.l2_penalty > 0.0) *diagonal += penalty_diagonal_;
  return true;
}

bool GlmModel::HessianAtResponses(const Eigen::VectorXd& theta,
                                  const RowMatrixXd& responses,
                                  Eigen::MatrixXd* hessian) const {
  Eigen::VectorXd weights;
  CurvatureWeightsAt(CurvatureProduct::kHessian, theta, responses.col(0),
                     &weights);
  WeightedGram(data_.x, weights, hessian);
  AddPenaltyCurvature(hessian);
  return true;
}

bool GlmModel::KlDivergence(const Eigen::VectorXd& theta,
                            const Eigen::VectorXd& theta2, double* kl) const {
  if (family_->type() != GlmFamilyType::kBernoulliLogit) return false;
  // With log σ(η) = −softplus(−η) and log(1 − σ(η)) = −softplus(η):
  //   KL_i = μ1 (softplus(−η2) − softplus(−η1))
  //        + (1 − μ1)(softplus(η2) − softplus(η1)),  μ1 = σ(η1).
  // Prior weights count each sample w_i times; the offset shifts both η.
  const Eigen::VectorXd eta = LinearPredictor(theta);
  const Eigen::VectorXd eta2 = LinearPredictor(theta2);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double mu = Sigmoid(eta[i]);
    const double kl_i = mu * (Softplus(-eta2[i]) - Softplus(-eta[i])) +
                        (1.0 - mu) * (Softplus(eta2[i]) - Softplus(eta[i]));
    sum += data_.HasWeights() ? data_.weights[i] * kl_i : kl_i;
  }
  *kl = sum;
  return std::isfinite(sum);
}

bool GlmModel::HessianIsResponseFree() const {
  // Canonical links: −d²ℓ/dη² = Var(y | η)/φ does not involve y.
  return family_->IsCanonical();
}

std::unique_ptr<ResidualForm> GlmModel::CreateResidualForm() const {
  if (!family_->type().has_value()) return nullptr;
  return std::make_unique<GlmResidualForm>(*this);
}

}  // namespace fisheropt
