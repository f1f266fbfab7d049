#include "problems/synthetic_data.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <string>

#include "problems/glm_family.h"
#include "problems/likelihood_model.h"
#include "problems/softmax_model.h"

namespace fisheropt {

SyntheticRegression MakeLogisticRegressionData(int num_samples,
                                               int num_parameters,
                                               std::uint64_t seed) {
  RandomEngine rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  SyntheticRegression result;
  Eigen::VectorXd& beta = result.true_parameters;
  beta.resize(num_parameters);
  beta[0] = 0.25;
  const double scale =
      num_parameters > 1 ? 2.0 / std::sqrt(num_parameters - 1.0) : 0.0;
  for (int j = 1; j < num_parameters; ++j) beta[j] = scale * normal(rng);

  Dataset& data = result.data;
  data.x.resize(num_samples, num_parameters);
  data.y.resize(num_samples);
  data.response_name = "y";
  data.column_names.push_back("(Intercept)");
  for (int j = 1; j < num_parameters; ++j) {
    data.column_names.push_back("x" + std::to_string(j));
  }
  for (int i = 0; i < num_samples; ++i) {
    data.x(i, 0) = 1.0;
    for (int j = 1; j < num_parameters; ++j) data.x(i, j) = normal(rng);
    const double eta = data.x.row(i).dot(beta);
    data.y[i] = uniform(rng) < Sigmoid(eta) ? 1.0 : 0.0;
  }
  return result;
}

namespace {

// Intercept column "(Intercept)" and N(0, 1) features "x1".."x{p-1}".
Dataset InterceptPlusNormalDesign(int num_samples, int num_parameters,
                                  RandomEngine* rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Dataset data;
  data.x.resize(num_samples, num_parameters);
  data.column_names.push_back("(Intercept)");
  for (int j = 1; j < num_parameters; ++j) {
    data.column_names.push_back("x" + std::to_string(j));
  }
  for (int i = 0; i < num_samples; ++i) {
    data.x(i, 0) = 1.0;
    for (int j = 1; j < num_parameters; ++j) data.x(i, j) = normal(*rng);
  }
  return data;
}

// β_0 = intercept, β_j ~ N(0, slope_variance/(p−1)).
Eigen::VectorXd InterceptAndSlopes(int num_parameters, double intercept,
                                   double slope_variance, RandomEngine* rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::VectorXd beta(num_parameters);
  beta[0] = intercept;
  const double scale = num_parameters > 1
                           ? std::sqrt(slope_variance / (num_parameters - 1.0))
                           : 0.0;
  for (int j = 1; j < num_parameters; ++j) beta[j] = scale * normal(*rng);
  return beta;
}

}  // namespace

SyntheticRegression MakeGlmRegressionData(GlmFamilyType family, int num_samples,
                                          int num_parameters,
                                          std::uint64_t seed) {
  double intercept = 0.25;
  double slope_variance = 1.0;
  switch (family) {
    case GlmFamilyType::kBernoulliLogit:
      slope_variance = 4.0;
      break;
    case GlmFamilyType::kBernoulliProbit:
      break;
    case GlmFamilyType::kBernoulliCloglog:
      intercept = -0.5;
      break;
    case GlmFamilyType::kPoissonLog:
      intercept = 1.0;
      slope_variance = 0.25;
      break;
    case GlmFamilyType::kGaussianIdentity:
      intercept = 1.0;
      break;
  }
  RandomEngine rng(seed);
  SyntheticRegression result;
  result.true_parameters =
      InterceptAndSlopes(num_parameters, intercept, slope_variance, &rng);
  result.data = InterceptPlusNormalDesign(num_samples, num_parameters, &rng);
  CreateGlmFamily(family)->Sample(result.data.x * result.true_parameters, &rng,
                                  &result.data.y);
  return result;
}

SyntheticRegression MakeProbitRegressionData(int num_samples,
                                             int num_parameters,
                                             std::uint64_t seed) {
  return MakeGlmRegressionData(GlmFamilyType::kBernoulliProbit, num_samples,
                               num_parameters, seed);
}

SyntheticRegression MakePoissonRegressionData(int num_samples,
                                              int num_parameters,
                                              std::uint64_t seed) {
  return MakeGlmRegressionData(GlmFamilyType::kPoissonLog, num_samples,
                               num_parameters, seed);
}

SyntheticRegression MakeGaussianRegressionData(int num_samples,
                                               int num_parameters,
                                               double noise_sigma,
                                               std::uint64_t seed) {
  RandomEngine rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  SyntheticRegression result;
  const Eigen::VectorXd beta =
      InterceptAndSlopes(num_parameters, 1.0, 1.0, &rng);
  result.data = InterceptPlusNormalDesign(num_samples, num_parameters, &rng);
  result.data.y = result.data.x * beta;
  for (int i = 0; i < num_samples; ++i) {
    result.data.y[i] += noise_sigma * normal(rng);
  }
  result.true_parameters.resize(num_parameters + 1);
  result.true_parameters << beta, std::log(noise_sigma);
  return result;
}

SyntheticRegression MakeSoftmaxRegressionData(int num_samples,
                                              int num_parameters,
                                              int num_classes,
                                              std::uint64_t seed) {
  RandomEngine rng(seed);
  SyntheticRegression result;
  const int p = num_parameters;
  result.true_parameters.resize(p * (num_classes - 1));
  for (int k = 1; k < num_classes; ++k) {
    result.true_parameters.segment((k - 1) * p, p) =
        InterceptAndSlopes(p, 0.5 - 0.25 * k, 2.0, &rng);
  }
  result.data = InterceptPlusNormalDesign(num_samples, p, &rng);
  const Eigen::Map<const Eigen::MatrixXd> beta(result.true_parameters.data(), p,
                                               num_classes - 1);
  const RowMatrixXd eta = result.data.x * beta;
  result.data.y.resize(num_samples);
  Eigen::RowVectorXd log_probabilities;
  for (int i = 0; i < num_samples; ++i) {
    SoftmaxLogProbabilities(eta.row(i), &log_probabilities);
    result.data.y[i] =
        SampleCategorical(log_probabilities.array().exp().matrix(), &rng);
  }
  return result;
}

SyntheticGaussian MakeMultivariateNormalData(int num_samples, int dimension,
                                             std::uint64_t seed) {
  RandomEngine rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  SyntheticGaussian result;
  const int d = dimension;
  result.true_mean.resize(d);
  result.true_covariance.resize(d, d);
  for (int j = 0; j < d; ++j) {
    result.true_mean[j] = j - 0.5 * (d - 1);
    for (int k = 0; k < d; ++k) {
      const double s_j = 1.0 + 0.25 * j;
      const double s_k = 1.0 + 0.25 * k;
      result.true_covariance(j, k) = s_j * s_k * std::pow(0.5, std::abs(j - k));
    }
  }
  const Eigen::MatrixXd factor =
      Eigen::LLT<Eigen::MatrixXd>(result.true_covariance).matrixL();
  result.samples.resize(num_samples, d);
  Eigen::VectorXd noise(d);
  for (int i = 0; i < num_samples; ++i) {
    for (int j = 0; j < d; ++j) noise[j] = normal(rng);
    result.samples.row(i) = (result.true_mean + factor * noise).transpose();
  }
  return result;
}

}  // namespace fisheropt
