#include "problems/problem_catalog.h"

#include <sstream>

#include "problems/gaussian_regression_model.h"
#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "problems/softmax_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {

std::vector<std::string> CatalogProblemNames() {
  return {"logistic", "mvn", "probit", "poisson", "gaussian-regression",
          "softmax"};
}

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
    problem->model =
        GlmModel::Create(std::move(synthetic.data),
                         GlmFamilyType::kBernoulliLogit, &model_error);
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
  } else if (name == "probit" || name == "poisson") {
    const bool probit = name == "probit";
    const int n = probit ? options.probit_samples : options.poisson_samples;
    const int p =
        probit ? options.probit_parameters : options.poisson_parameters;
    const GlmFamilyType family =
        probit ? GlmFamilyType::kBernoulliProbit : GlmFamilyType::kPoissonLog;
    SyntheticRegression synthetic =
        MakeGlmRegressionData(family, n, p, options.seed);
    std::ostringstream description;
    description << (probit ? "probit regression (non-canonical link)"
                           : "Poisson log-linear regression")
                << ", N = " << n << ", p = " << p
                << " (intercept + N(0,1) features)";
    problem->description = description.str();
    problem->true_parameters = synthetic.true_parameters;
    problem->model =
        GlmModel::Create(std::move(synthetic.data), family, &model_error);
  } else if (name == "gaussian-regression") {
    SyntheticRegression synthetic = MakeGaussianRegressionData(
        options.regression_samples, options.regression_parameters,
        options.regression_noise_sigma, options.seed);
    std::ostringstream description;
    description << "linear regression with unknown noise, theta = (beta, "
                   "log sigma), N = "
                << options.regression_samples
                << ", p = " << options.regression_parameters << " + 1";
    problem->description = description.str();
    problem->true_parameters = synthetic.true_parameters;
    Eigen::VectorXd optimum;
    if (GaussianRegressionModel::MaximumLikelihoodParameters(
            synthetic.data, &optimum, &model_error)) {
      problem->closed_form_optimum = optimum;
      problem->model = GaussianRegressionModel::Create(
          std::move(synthetic.data), &model_error);
    }
  } else if (name == "softmax") {
    SyntheticRegression synthetic = MakeSoftmaxRegressionData(
        options.softmax_samples, options.softmax_parameters,
        options.softmax_classes, options.seed);
    std::ostringstream description;
    description << "softmax regression, K = " << options.softmax_classes
                << " classes (class 0 the reference), N = "
                << options.softmax_samples
                << ", p = " << options.softmax_parameters << " per class x "
                << options.softmax_classes - 1
                << " (intercept + N(0,1) features)";
    problem->description = description.str();
    problem->true_parameters = synthetic.true_parameters;
    problem->model = SoftmaxModel::Create(
        std::move(synthetic.data), options.softmax_classes, &model_error);
  } else if (name.rfind("nist-", 0) == 0) {
    const std::string nist_name = name.substr(5);
    if (options.nist_directory.empty()) {
      if (error != nullptr) {
        *error = name +
                 ": NIST problems need the folder of the .dat files "
                 "(CatalogOptions::nist_directory, --nist-dir)";
      }
      return nullptr;
    }
    NistDataset dataset;
    if (!ReadNistDataset(options.nist_directory + "/" + nist_name + ".dat",
                         &dataset, &model_error)) {
      if (error != nullptr) *error = name + ": " + model_error;
      return nullptr;
    }
    problem->description = "NIST StRD " + dataset.name + ": " +
                           dataset.model_text + " (start 1, " +
                           std::to_string(dataset.responses.size()) +
                           " observations)";
    problem->true_parameters = dataset.certified_values;
    problem->closed_form_optimum = dataset.certified_values;
    problem->optimum_source = "NIST certified values";
    problem->model = CreateNistModel(dataset, &model_error);
    if (problem->model == nullptr) {
      if (error != nullptr) *error = name + ": " + model_error;
      return nullptr;
    }
    problem->start = dataset.starts[0];
    return problem;
  } else {
    if (error != nullptr) {
      std::ostringstream message;
      message << "unknown problem '" << name << "'; known problems:";
      for (const std::string& known : CatalogProblemNames()) {
        message << " " << known;
      }
      message << " nist-<Name> (with a NIST folder)";
      *error = message.str();
    }
    return nullptr;
  }
  if (problem->model == nullptr) {
    if (error != nullptr) *error = name + ": " + model_error;
    return nullptr;
  }
  // Every problem starts from θ = 0: β = 0 for GLMs; μ = 0, Σ = I for MVN;
  // β = 0, σ = 1 for Gaussian regression; equal class probabilities for
  // softmax.
  problem->start = Eigen::VectorXd::Zero(problem->model->NumParameters());
  return problem;
}

}  // namespace fisheropt
