#include "problems/glm_model.h"

#include <cmath>
#include <sstream>
#include <utility>

#include "linalg/parallel_chunks.h"
#include "linalg/weighted_gram.h"

namespace fisheropt {
namespace {

// Value and gradient partial sums of one thread.
struct ValueAndGradient {
  double value = 0.0;
  Eigen::VectorXd gradient;
  ValueAndGradient& operator+=(const ValueAndGradient& other) {
    value += other.value;
    if (gradient.size() > 0) gradient += other.gradient;
    return *this;
  }
};

}  // namespace

std::unique_ptr<GlmModel> GlmModel::Create(Dataset data, GlmFamilyType family,
                                           std::string* error) {
  std::string message;
  if (!data.IsValid(&message)) {
    if (error != nullptr) *error = message;
    return nullptr;
  }
  std::unique_ptr<GlmFamily> glm_family = CreateGlmFamily(family);
  for (int i = 0; i < data.NumSamples(); ++i) {
    if (!glm_family->IsValidResponse(data.y[i])) {
      if (error != nullptr) {
        std::ostringstream stream;
        stream << "response " << data.y[i] << " in row " << i
               << " is outside the support of the " << ToString(family)
               << " model";
        *error = stream.str();
      }
      return nullptr;
    }
  }
  return std::unique_ptr<GlmModel>(
      new GlmModel(std::move(data), std::move(glm_family)));
}

GlmModel::GlmModel(Dataset data, std::unique_ptr<GlmFamily> family)
    : data_(std::move(data)), family_(std::move(family)) {
  responses_ = data_.y;
}

std::vector<std::string> GlmModel::ParameterNames() const {
  return ColumnNamesOrDefault(data_);
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
        const Eigen::VectorXd eta = block * theta;
        Eigen::VectorXd log_likelihood, dl_deta;
        family_->Evaluate(eta, data_.y.segment(begin, count), &log_likelihood,
                          gradient != nullptr ? &dl_deta : nullptr, nullptr);
        partial->value -= log_likelihood.sum();
        if (gradient != nullptr) {
          partial->gradient.noalias() -= block.transpose() * dl_deta;
        }
      });
  *value = total.value;
  if (gradient != nullptr) *gradient = total.gradient;
  return std::isfinite(*value) &&
         (gradient == nullptr || gradient->allFinite());
}

void GlmModel::LogLikelihoods(const Eigen::VectorXd& theta,
                              const RowMatrixXd& responses, int begin,
                              int count,
                              Eigen::VectorXd* log_likelihoods) const {
  const Eigen::VectorXd eta = data_.x.middleRows(begin, count) * theta;
  family_->Evaluate(eta, responses.col(0).segment(begin, count),
                    log_likelihoods, nullptr, nullptr);
}

void GlmModel::Scores(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::MatrixXd* scores) const {
  const auto block = data_.x.middleRows(begin, count);
  const Eigen::VectorXd eta = block * theta;
  Eigen::VectorXd dl_deta;
  family_->Evaluate(eta, responses.col(0).segment(begin, count), nullptr,
                    &dl_deta, nullptr);
  *scores = dl_deta.asDiagonal() * block;
}

void GlmModel::ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                    const RowMatrixXd& responses,
                                    Eigen::MatrixXd* sum) const {
  const Eigen::VectorXd eta = data_.x * theta;
  Eigen::VectorXd dl_deta;
  family_->Evaluate(eta, responses.col(0), nullptr, &dl_deta, nullptr);
  WeightedGram(data_.x, dl_deta.cwiseAbs2(), sum);
}

void GlmModel::SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                               RowMatrixXd* responses) const {
  const Eigen::VectorXd eta = data_.x * theta;
  Eigen::VectorXd y;
  family_->Sample(eta, rng, &y);
  *responses = y;
}

bool GlmModel::ExpectedFisher(const Eigen::VectorXd& theta,
                              Eigen::MatrixXd* fisher) const {
  Eigen::VectorXd weights;
  family_->ExpectedWeights(data_.x * theta, &weights);
  WeightedGram(data_.x, weights, fisher);
  return true;
}

bool GlmModel::Hessian(const Eigen::VectorXd& theta,
                       Eigen::MatrixXd* hessian) const {
  Eigen::VectorXd weights;
  family_->Evaluate(data_.x * theta, data_.y, nullptr, nullptr, &weights);
  WeightedGram(data_.x, weights, hessian);
  return true;
}

void GlmModel::CurvatureWeights(CurvatureProduct which,
                                const Eigen::VectorXd& theta,
                                Eigen::VectorXd* weights) const {
  const Eigen::VectorXd eta = data_.x * theta;
  switch (which) {
    case CurvatureProduct::kHessian:
      family_->Evaluate(eta, data_.y, nullptr, nullptr, weights);
      return;
    case CurvatureProduct::kExpectedFisher:
      family_->ExpectedWeights(eta, weights);
      return;
    case CurvatureProduct::kScoreOuterProductSum: {
      Eigen::VectorXd dl_deta;
      family_->Evaluate(eta, data_.y, nullptr, &dl_deta, nullptr);
      *weights = dl_deta.cwiseAbs2();
      return;
    }
  }
}

bool GlmModel::CurvatureApply(CurvatureProduct which,
                              const Eigen::VectorXd& theta,
                              const Eigen::VectorXd& v,
                              Eigen::VectorXd* product) const {
  Eigen::VectorXd weights;
  CurvatureWeights(which, theta, &weights);
  WeightedGramApply(data_.x, weights, v, product);
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
  return true;
}

bool GlmModel::HessianAtResponses(const Eigen::VectorXd& theta,
                                  const RowMatrixXd& responses,
                                  Eigen::MatrixXd* hessian) const {
  Eigen::VectorXd weights;
  family_->Evaluate(data_.x * theta, responses.col(0), nullptr, nullptr,
                    &weights);
  WeightedGram(data_.x, weights, hessian);
  return true;
}

bool GlmModel::KlDivergence(const Eigen::VectorXd& theta,
                            const Eigen::VectorXd& theta2, double* kl) const {
  if (family_->type() != GlmFamilyType::kBernoulliLogit) return false;
  // With log σ(η) = −softplus(−η) and log(1 − σ(η)) = −softplus(η):
  //   KL_i = μ1 (softplus(−η2) − softplus(−η1))
  //        + (1 − μ1)(softplus(η2) − softplus(η1)),  μ1 = σ(η1).
  const Eigen::VectorXd eta = data_.x * theta;
  const Eigen::VectorXd eta2 = data_.x * theta2;
  double sum = 0.0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double mu = Sigmoid(eta[i]);
    sum += mu * (Softplus(-eta2[i]) - Softplus(-eta[i])) +
           (1.0 - mu) * (Softplus(eta2[i]) - Softplus(eta[i]));
  }
  *kl = sum;
  return std::isfinite(sum);
}

bool GlmModel::HessianIsResponseFree() const {
  return family_->type() == GlmFamilyType::kBernoulliLogit;
}

}  // namespace fisheropt
