#include "problems/synthetic_data.h"

#include <cmath>
#include <string>

#include <Eigen/Cholesky>

#include "problems/glm_family.h"
#include "problems/likelihood_model.h"

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
