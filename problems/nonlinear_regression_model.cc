#include "problems/nonlinear_regression_model.h"

#include <cmath>
#include <utility>

#include "problems/row_random.h"

namespace fisheropt {
namespace {

constexpr double kHalfLogTwoPi = 0.91893853320467274178;  // ½ log 2π

}  // namespace

std::unique_ptr<NonlinearRegressionModel> NonlinearRegressionModel::Create(
    std::string name, std::unique_ptr<RegressionFunction> function,
    RowMatrixXd predictors, Eigen::VectorXd responses,
    std::vector<std::string> parameter_names, std::string* error) {
  auto fail = [error](const std::string& message) {
    if (error != nullptr) *error = message;
    return nullptr;
  };
  if (function == nullptr) return fail("no regression function");
  const int p = function->NumParameters();
  if (responses.size() < 1) return fail("no observations");
  if (predictors.rows() != responses.size()) {
    return fail("predictors have " + std::to_string(predictors.rows()) +
                " rows but there are " + std::to_string(responses.size()) +
                " responses");
  }
  if (predictors.cols() != function->NumPredictors()) {
    return fail("predictors have " + std::to_string(predictors.cols()) +
                " columns; model '" + name + "' needs " +
                std::to_string(function->NumPredictors()));
  }
  if (responses.size() < p) {
    return fail(std::to_string(responses.size()) + " observations but " +
                std::to_string(p) + " parameters: model '" + name +
                "' needs at least as many observations as parameters (its " +
                "Jacobian has rank at most " +
                std::to_string(responses.size()) +
                ", so the parameters are not identifiable)");
  }
  for (Eigen::Index i = 0; i < responses.size(); ++i) {
    if (!std::isfinite(responses[i]) || !predictors.row(i).allFinite()) {
      return fail("observation " + std::to_string(i + 1) +
                  " has a non-finite value");
    }
  }
  if (parameter_names.empty()) {
    for (int j = 0; j < p; ++j) {
      parameter_names.push_back("b" + std::to_string(j + 1));
    }
  }
  if (static_cast<int>(parameter_names.size()) != p) {
    return fail(std::to_string(parameter_names.size()) +
                " parameter names for " + std::to_string(p) + " parameters");
  }
  std::unique_ptr<NonlinearRegressionModel> model(
      new NonlinearRegressionModel());
  model->name_ = std::move(name);
  model->function_ = std::move(function);
  model->predictors_ = std::move(predictors);
  model->responses_ = responses;
  model->parameter_names_ = std::move(parameter_names);
  return model;
}

int NonlinearRegressionModel::NumParameters() const {
  return function_->NumParameters();
}

bool NonlinearRegressionModel::Predict(const Eigen::VectorXd& theta,
                                       Eigen::VectorXd* values) const {
  return function_->Evaluate(predictors_, theta, values, nullptr);
}

bool NonlinearRegressionModel::ResidualSumOfSquares(
    const Eigen::VectorXd& theta, double* rss) const {
  Eigen::VectorXd residuals;
  if (!Residuals(theta, &residuals, nullptr)) return false;
  *rss = residuals.squaredNorm();
  return std::isfinite(*rss);
}

bool NonlinearRegressionModel::Residuals(const Eigen::VectorXd& theta,
                                         Eigen::VectorXd* residuals,
                                         Eigen::MatrixXd* jacobian) const {
  Eigen::VectorXd values;
  if (!function_->Evaluate(predictors_, theta, &values, jacobian)) {
    return false;
  }
  *residuals = responses_.col(0) - values;
  if (jacobian != nullptr) *jacobian = -*jacobian;
  return true;
}

bool NonlinearRegressionModel::Evaluate(const Eigen::VectorXd& theta,
                                        double* value,
                                        Eigen::VectorXd* gradient) const {
  Eigen::VectorXd residuals;
  if (gradient == nullptr) {
    if (!Residuals(theta, &residuals, nullptr)) return false;
  } else {
    Eigen::MatrixXd jacobian;  // ∂r/∂β = −J
    if (!Residuals(theta, &residuals, &jacobian)) return false;
    *gradient = jacobian.transpose() * residuals;  // −Jᵀr
  }
  *value = 0.5 * residuals.squaredNorm();
  return std::isfinite(*value);
}

void NonlinearRegressionModel::LogLikelihoods(
    const Eigen::VectorXd& theta, const RowMatrixXd& responses, int begin,
    int count, Eigen::VectorXd* log_likelihoods) const {
  Eigen::VectorXd values;
  function_->Evaluate(predictors_.middleRows(begin, count), theta, &values,
                      nullptr);
  const Eigen::VectorXd residuals =
      responses.col(0).segment(begin, count) - values;
  *log_likelihoods =
      (-0.5 * residuals.array().square() - kHalfLogTwoPi).matrix();
}

void NonlinearRegressionModel::Scores(const Eigen::VectorXd& theta,
                                      const RowMatrixXd& responses, int begin,
                                      int count,
                                      Eigen::MatrixXd* scores) const {
  Eigen::VectorXd values;
  function_->Evaluate(predictors_.middleRows(begin, count), theta, &values,
                      scores);
  const Eigen::VectorXd residuals =
      responses.col(0).segment(begin, count) - values;
  *scores = residuals.asDiagonal() * *scores;  // s_i = r_i ∇f_i
}

void NonlinearRegressionModel::SampleResponses(const Eigen::VectorXd& theta,
                                               RandomEngine* rng,
                                               RowMatrixXd* responses) const {
  Eigen::VectorXd values;
  Predict(theta, &values);
  responses->resize(values.size(), 1);
  DrawRows(FirstRow(), values.size(), rng,
           [&](long i, RowRandomEngine* engine) {
             std::normal_distribution<double> normal(0.0, 1.0);
             (*responses)(i, 0) = values[i] + normal(*engine);
           });
}

bool NonlinearRegressionModel::ExpectedFisher(const Eigen::VectorXd& theta,
                                              Eigen::MatrixXd* fisher) const {
  Eigen::VectorXd values;
  Eigen::MatrixXd jacobian;
  if (!function_->Evaluate(predictors_, theta, &values, &jacobian)) {
    return false;
  }
  const int p = NumParameters();
  fisher->setZero(p, p);
  fisher->selfadjointView<Eigen::Lower>().rankUpdate(jacobian.transpose());
  fisher->triangularView<Eigen::StrictlyUpper>() = fisher->transpose();
  return true;
}

bool NonlinearRegressionModel::KlDivergence(const Eigen::VectorXd& theta,
                                            const Eigen::VectorXd& theta2,
                                            double* kl) const {
  Eigen::VectorXd values, values2;
  if (!Predict(theta, &values) || !Predict(theta2, &values2)) return false;
  *kl = 0.5 * (values - values2).squaredNorm();
  return std::isfinite(*kl);
}

}  // namespace fisheropt
