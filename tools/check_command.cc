#include "tools/check_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "fisher/inference.h"
#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/softmax_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {
namespace {

constexpr int kLogisticParameters = 4;
constexpr int kMvnDimension = 2;
constexpr int kSoftmaxParameters = 3;  // per class
constexpr int kSoftmaxClasses = 3;

std::unique_ptr<LikelihoodModel> MakeCheckModel(const CheckOptions& options,
                                                std::string* error) {
  if (options.model == "logistic") {
    return GlmModel::Create(
        MakeLogisticRegressionData(options.samples, kLogisticParameters,
                                   options.seed)
            .data,
        GlmFamilyType::kBernoulliLogit, error);
  }
  if (options.model == "softmax") {
    return SoftmaxModel::Create(
        MakeSoftmaxRegressionData(options.samples, kSoftmaxParameters,
                                  kSoftmaxClasses, options.seed)
            .data,
        kSoftmaxClasses, error);
  }
  return MultivariateNormalModel::Create(
      MakeMultivariateNormalData(options.samples, kMvnDimension, options.seed)
          .samples,
      error);
}

}  // namespace

std::vector<std::string> CheckModelNames() {
  return {"logistic", "mvn", "softmax"};
}

bool CheckOptions::IsValid(std::string* error) const {
  std::string message;
  const std::vector<std::string> names = CheckModelNames();
  if (std::find(names.begin(), names.end(), model) == names.end()) {
    message = "CheckOptions::model = '" + model +
              "' must be one of: logistic, mvn, softmax";
  } else if (samples < 20) {
    message =
        "CheckOptions::samples = " + std::to_string(samples) + " must be >= 20";
  } else if (draws < 2) {
    message =
        "CheckOptions::draws = " + std::to_string(draws) + " must be >= 2";
  } else if (!(perturbation >= 0.0 && perturbation <= 10.0)) {
    message = fmt::format("CheckOptions::perturbation = {} must be in [0, 10]",
                          perturbation);
  }
  if (message.empty()) return true;
  if (error != nullptr) *error = message;
  return false;
}

bool RunCheck(const CheckOptions& options, CheckResult* result,
              std::string* error) {
  if (!options.IsValid(error)) return false;
  std::unique_ptr<LikelihoodModel> model = MakeCheckModel(options, error);
  if (model == nullptr) return false;

  // The MLE by Fisher scoring with a line search, to a tight gradient.
  SolverOptions solver;
  solver.stopping.max_iterations = 200;
  solver.stopping.function_tolerance = 0.0;
  solver.stopping.parameter_tolerance = 0.0;
  solver.stopping.gradient_tolerance = 1e-9;
  Eigen::VectorXd mle = Eigen::VectorXd::Zero(model->NumParameters());
  SolverSummary summary;
  Solve(solver, *model, &mle, &summary);
  if (summary.termination_type != TerminationType::kConvergence) {
    if (error != nullptr) {
      *error = "the MLE solve did not converge: " + summary.message;
    }
    return false;
  }
  Eigen::VectorXd perturbed = mle;
  for (int j = 0; j < perturbed.size(); ++j) {
    perturbed[j] += options.perturbation * (j % 2 == 0 ? 1.0 : -1.0);
  }

  DiagnosticsOptions diagnostics;
  diagnostics.num_draws = options.draws;
  diagnostics.seed = options.seed;
  result->point_labels = {"MLE", "perturbed"};
  result->reports.assign(2, DiagnosticsReport());
  result->all_pass = true;
  std::string text = fmt::format(
      "fisheropt check: model {} (N = {}, p = {}), {} data sets drawn from "
      "the model, seed {}\n",
      model->Name(), model->NumSamples(), model->NumParameters(), options.draws,
      options.seed);
  text += fmt::format("MLE by {} in {} iterations (max |gradient| = {:.1e})\n",
                      summary.solver, summary.num_iterations(),
                      summary.iterations.back().gradient_max_norm);
  InferenceResult inference;
  if (ComputeInference(InferenceOptions(), *model, mle, &inference, error)) {
    text += "\nCoefficients at the MLE (covariance = inverse Fisher):\n" +
            FormatCoefficientTable(inference, /*stars=*/false);
  } else {
    return false;
  }
  const Eigen::VectorXd* points[2] = {&mle, &perturbed};
  for (int k = 0; k < 2; ++k) {
    if (!RunDiagnostics(diagnostics, *model, *points[k], &result->reports[k],
                        error)) {
      return false;
    }
    const bool pass = result->reports[k].AllPass();
    result->all_pass = result->all_pass && pass;
    text += "\nAt the " +
            (k == 0 ? std::string("MLE θ̂")
                    : fmt::format("perturbed point θ̂ + {} · (+1, −1, ...)",
                                  options.perturbation)) +
            ":\n" + FormatDiagnostics(result->reports[k]);
  }
  text += result->all_pass ? "\nAll checks PASS.\n" : "\nSome checks FAIL.\n";
  result->text = std::move(text);
  return true;
}

}  // namespace fisheropt
