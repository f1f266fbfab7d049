#ifndef FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_
#define FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <memory>

#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {
namespace testing {

inline std::unique_ptr<GlmModel> Logistic(int n, int p, std::uint64_t seed) {
  std::string error;
  auto model = GlmModel::Create(MakeLogisticRegressionData(n, p, seed).data,
                                GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

inline std::unique_ptr<MultivariateNormalModel> Mvn(int n, int d,
                                                    std::uint64_t seed) {
  std::string error;
  auto model = MultivariateNormalModel::Create(
      MakeMultivariateNormalData(n, d, seed).samples, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

// The MLE of a model by its own Hessian (Newton without globalization is
// enough from these starts; the tests check the gradient).
inline Eigen::VectorXd NewtonMle(const LikelihoodModel& model,
                                 Eigen::VectorXd theta) {
  for (int iteration = 0; iteration < 50; ++iteration) {
    double value = 0.0;
    Eigen::VectorXd gradient;
    Eigen::MatrixXd hessian;
    model.Evaluate(theta, &value, &gradient);
    model.Hessian(theta, &hessian);
    theta -= hessian.llt().solve(gradient);
  }
  return theta;
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_
