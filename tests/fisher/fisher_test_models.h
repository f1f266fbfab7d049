#ifndef FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_
#define FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

// What ForwardingModel changes in the model it forwards to. The defaults
// change nothing.
struct ModelAlterations {
  std::string name;  // Name(), when not empty
  // No capabilities, and every optional function (closed forms, products,
  // ScoreOuterProductSum, parameter groups) is LikelihoodModel's default:
  // only scores and sampling remain.
  bool hide_closed_forms = false;
  bool hide_hessian_at_responses = false;  // HessianAtResponses() is false
  bool hide_kl = false;                    // KlDivergence() is false
  // Known errors, so that a check can be seen to catch them.
  double fisher_factor = 1.0;   // ExpectedFisher() × factor
  double hessian_factor = 1.0;  // Hessian() and HessianAtResponses() × factor
  double kl_factor = 1.0;       // KlDivergence() × factor
  double gradient_error = 0.0;  // added to ∂L/∂θ_0 in Evaluate()
  double score_error = 0.0;     // added to s_0 of sample 0 in Scores()
  double score_outer_product_factor = 1.0;  // ScoreOuterProductSum() × factor
  double curvature_apply_factor = 1.0;      // CurvatureApply() × factor
  Eigen::VectorXd sampling_theta;  // SampleResponses() draws at this θ
  bool unseeded_sampling = false;  // SampleResponses() ignores the engine
  // Capabilities::hessian is false while Hessian() still answers.
  bool understate_hessian_capability = false;
};

// Forwards every function of LikelihoodModel to `model` (which must outlive
// it), changed as `alterations` say.
class ForwardingModel final : public LikelihoodModel {
 public:
  explicit ForwardingModel(const LikelihoodModel& model,
                           ModelAlterations alterations = ModelAlterations())
      : model_(model), alterations_(std::move(alterations)) {}

  int NumParameters() const override { return model_.NumParameters(); }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override {
    if (!model_.Evaluate(theta, value, gradient)) return false;
    if (gradient != nullptr) (*gradient)[0] += alterations_.gradient_error;
    return true;
  }
  std::string Name() const override {
    return alterations_.name.empty() ? model_.Name() : alterations_.name;
  }
  int NumSamples() const override { return model_.NumSamples(); }
  int ResponseDimension() const override { return model_.ResponseDimension(); }
  const RowMatrixXd& ObservedResponses() const override {
    return model_.ObservedResponses();
  }
  std::vector<std::string> ParameterNames() const override {
    return model_.ParameterNames();
  }
  Capabilities GetCapabilities() const override {
    if (alterations_.hide_closed_forms) return {};
    Capabilities capabilities = model_.GetCapabilities();
    if (alterations_.understate_hessian_capability) {
      capabilities.hessian = false;
    }
    return capabilities;
  }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override {
    model_.LogLikelihoods(theta, responses, begin, count, log_likelihoods);
  }
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override {
    model_.Scores(theta, responses, begin, count, scores);
    if (begin == 0 && count > 0) (*scores)(0, 0) += alterations_.score_error;
  }
  void ScoreOuterProductSum(const Eigen::VectorXd& theta,
                            const RowMatrixXd& responses,
                            Eigen::MatrixXd* sum) const override {
    if (alterations_.hide_closed_forms) {
      LikelihoodModel::ScoreOuterProductSum(theta, responses, sum);
      return;
    }
    model_.ScoreOuterProductSum(theta, responses, sum);
    *sum *= alterations_.score_outer_product_factor;
  }
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override {
    const Eigen::VectorXd& at = alterations_.sampling_theta.size() > 0
                                    ? alterations_.sampling_theta
                                    : theta;
    model_.SampleResponses(at, alterations_.unseeded_sampling ? &own_rng_ : rng,
                           responses);
  }
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override {
    if (alterations_.hide_closed_forms ||
        !model_.ExpectedFisher(theta, fisher)) {
      return false;
    }
    *fisher *= alterations_.fisher_factor;
    return true;
  }
  bool GaussNewton(const Eigen::VectorXd& theta,
                   Eigen::MatrixXd* gauss_newton) const override {
    return !alterations_.hide_closed_forms &&
           model_.GaussNewton(theta, gauss_newton);
  }
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override {
    if (alterations_.hide_closed_forms || !model_.Hessian(theta, hessian)) {
      return false;
    }
    *hessian *= alterations_.hessian_factor;
    return true;
  }
  std::unique_ptr<ResidualForm> CreateResidualForm() const override {
    return alterations_.hide_closed_forms ? nullptr
                                          : model_.CreateResidualForm();
  }
  bool GaussNewtonFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                         Eigen::VectorXd* residuals) const override {
    return !alterations_.hide_closed_forms &&
           model_.GaussNewtonFactor(theta, factor, residuals);
  }
  bool CurvatureApply(CurvatureProduct which, const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& v,
                      Eigen::VectorXd* product) const override {
    if (alterations_.hide_closed_forms ||
        !model_.CurvatureApply(which, theta, v, product)) {
      return false;
    }
    *product *= alterations_.curvature_apply_factor;
    return true;
  }
  bool ApproximateCurvature(CurvatureProduct which,
                            const Eigen::VectorXd& theta,
                            const CurvatureApproximation& approximation,
                            Eigen::MatrixXd* curvature) const override {
    return !alterations_.hide_closed_forms &&
           model_.ApproximateCurvature(which, theta, approximation, curvature);
  }
  bool SupportsApproximateCurvature() const override {
    return !alterations_.hide_closed_forms &&
           model_.SupportsApproximateCurvature();
  }
  bool CurvatureDiagonal(CurvatureProduct which, const Eigen::VectorXd& theta,
                         Eigen::VectorXd* diagonal) const override {
    return !alterations_.hide_closed_forms &&
           model_.CurvatureDiagonal(which, theta, diagonal);
  }
  std::vector<ParameterGroup> ParameterGroups() const override {
    return alterations_.hide_closed_forms ? LikelihoodModel::ParameterGroups()
                                          : model_.ParameterGroups();
  }
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override {
    if (alterations_.hide_closed_forms ||
        alterations_.hide_hessian_at_responses ||
        !model_.HessianAtResponses(theta, responses, hessian)) {
      return false;
    }
    *hessian *= alterations_.hessian_factor;
    return true;
  }
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override {
    if (alterations_.hide_closed_forms || alterations_.hide_kl ||
        !model_.KlDivergence(theta, theta2, kl)) {
      return false;
    }
    *kl *= alterations_.kl_factor;
    return true;
  }
  bool HessianIsResponseFree() const override {
    return !alterations_.hide_closed_forms && model_.HessianIsResponseFree();
  }

 private:
  const LikelihoodModel& model_;
  ModelAlterations alterations_;
  mutable RandomEngine own_rng_{12345};
};

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_FISHER_FISHER_TEST_MODELS_H_
