#include "problems/problem_catalog.h"

#include <sstream>

#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {

std::vector<std::string> CatalogProblemNames() { return {"logistic", "mvn"}; }

std::unique_ptr<CatalogProblem> MakeCatalogProblem(
    const std::string& name, const CatalogOptions& options,
    std::string* error) {
  auto problem = std::make_unique<CatalogProblem>();
  problem->name = name;
  std::string model_error;
  if (name == "logistic") {
    SyntheticRegression synthetic = MakeLogisticRegressionData(
        options.logistic_samples, options.logistic_parameters, options.seed);
    std::ostringstream description;
    description << "logistic regression, N = " << options.logistic_samples
                << ", p = " << options.logistic_parameters
                << " (intercept + N(0,1) features)";
    problem->description = description.str();
    problem->true_parameters = synthetic.true_parameters;
    problem->model = GlmModel::Create(std::move(synthetic.data),
                                      GlmFamilyType::kBernoulliLogit,
                                      &model_error);
  } else if (name == "mvn") {
    SyntheticGaussian synthetic = MakeMultivariateNormalData(
        options.mvn_samples, options.mvn_dimension, options.seed);
    std::ostringstream description;
    description << "multivariate normal mean + covariance, d = "
                << options.mvn_dimension << ", N = " << options.mvn_samples;
    problem->description = description.str();
    problem->true_parameters = MultivariateNormalModel::ParametersFromMoments(
        synthetic.true_mean, synthetic.true_covariance);
    auto model = MultivariateNormalModel::Create(std::move(synthetic.samples),
                                                 &model_error);
    if (model != nullptr) {
      problem->closed_form_optimum = model->MaximumLikelihoodParameters();
    }
    problem->model = std::move(model);
  } else {
    if (error != nullptr) {
      std::ostringstream message;
      message << "unknown problem '" << name << "'; known problems:";
      for (const std::string& known : CatalogProblemNames()) {
        message << " " << known;
      }
      *error = message.str();
    }
    return nullptr;
  }
  if (problem->model == nullptr) {
    if (error != nullptr) *error = name + ": " + model_error;
    return nullptr;
  }
  // Every problem starts from θ = 0: β = 0 for GLMs; μ = 0, Σ = I for MVN.
  problem->start = Eigen::VectorXd::Zero(problem->model->NumParameters());
  return problem;
}

}  // namespace fisheropt
