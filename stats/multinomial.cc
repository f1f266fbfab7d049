#include "stats/multinomial.h"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <utility>

#include "fisher/inference.h"
#include "optim/newton_solver.h"
#include "problems/softmax_model.h"
#include "stats/formula.h"
#include "stats/glm_fit.h"

namespace fisheropt {
namespace {

// Newton steps kept while they lower the gradient's norm (as FitGlm's
// polishing: a cost-based stopping rule leaves √ε in the estimates).
void Polish(const SoftmaxModel& model, Eigen::VectorXd* theta) {
  double value = 0.0;
  Eigen::VectorXd gradient, trial_gradient;
  if (!model.Evaluate(*theta, &value, &gradient)) return;
  Eigen::MatrixXd hessian;
  for (int step = 0; step < 3; ++step) {
    if (!model.Hessian(*theta, &hessian)) return;
    const Eigen::LLT<Eigen::MatrixXd> llt(hessian);
    if (llt.info() != Eigen::Success) return;
    const Eigen::VectorXd trial = *theta - llt.solve(gradient);
    if (!model.Evaluate(trial, &value, &trial_gradient) ||
        !trial_gradient.allFinite() ||
        !(trial_gradient.norm() < gradient.norm())) {
      return;
    }
    *theta = trial;
    gradient.swap(trial_gradient);
  }
}

}  // namespace

bool FitMultinomial(const std::string& formula, const DataFrame& data,
                    const ModelFrameOptions& frame_options, MultinomialFit* fit,
                    std::string* error) {
  Formula parsed;
  if (!ParseFormula(formula, &parsed, error)) return false;
  if (!parsed.has_response ||
      parsed.response.kind != FormulaExpr::Kind::kSymbol) {
    *error =
        "a multinomial formula's response must be a column name: " + formula;
    return false;
  }
  const std::string& response = parsed.response.name;
  const int response_index = data.ColumnIndex(response);
  if (response_index < 0) {
    *error = "response column '" + response +
             "' is not in the data; columns: " + data.ColumnList();
    return false;
  }
  // The classes: the response's distinct values, sorted (text bytewise,
  // numbers by value), coded 0..K−1 in a numeric copy of the column.
  const DataColumn& column = data.column(response_index);
  const int n = data.NumRows();
  std::vector<std::string> labels(n);
  std::vector<std::string> classes;
  if (column.type == DataColumnType::kText) {
    for (int i = 0; i < n; ++i) {
      if (!column.IsMissing(i)) classes.push_back(column.text[i]);
    }
    std::sort(classes.begin(), classes.end());
  } else {
    std::vector<double> values;
    for (int i = 0; i < n; ++i) {
      if (!column.IsMissing(i)) values.push_back(column.numbers[i]);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (double v : values) classes.push_back(fmt::format("{}", v));
  }
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (classes.size() < 2) {
    *error = fmt::format(
        "response column '{}' has {} class(es); a "
        "multinomial model needs at least 2",
        response, classes.size());
    return false;
  }
  Eigen::VectorXd codes(n);
  for (int i = 0; i < n; ++i) {
    if (column.IsMissing(i)) {
      codes[i] = std::nan("");
      continue;
    }
    const std::string label = column.type == DataColumnType::kText
                                  ? column.text[i]
                                  : fmt::format("{}", column.numbers[i]);
    codes[i] = static_cast<double>(
        std::lower_bound(classes.begin(), classes.end(), label) -
        classes.begin());
  }
  DataFrame coded;
  for (int c = 0; c < data.NumColumns(); ++c) {
    const DataColumn& source = data.column(c);
    bool added = true;
    if (c == response_index) {
      added = coded.AddNumericColumn(source.name, codes, error);
    } else if (source.type == DataColumnType::kNumeric) {
      added = coded.AddNumericColumn(source.name, source.numbers, error);
    } else {
      added =
          coded.AddTextColumn(source.name, source.text, source.missing, error);
    }
    if (!added) return false;
  }
  ModelFrame frame;
  if (!BuildModelFrame(parsed, coded, frame_options, &frame, error)) {
    return false;
  }
  Dataset design = std::move(frame.data);
  // Frequency weights: each row repeated w times (exact for whole counts).
  if (design.HasWeights()) {
    std::vector<int> rows;
    for (Eigen::Index i = 0; i < design.weights.size(); ++i) {
      const double w = design.weights[i];
      if (!(w >= 0.0) || w != std::floor(w) || w > 1e7) {
        *error = fmt::format(
            "multinomial weights must be whole counts; row {} has weight {}",
            i + 1, w);
        return false;
      }
      for (int k = 0; k < static_cast<int>(w); ++k) {
        rows.push_back(static_cast<int>(i));
      }
    }
    Dataset expanded;
    expanded.x = design.x(rows, Eigen::all);
    expanded.y = design.y(rows);
    expanded.column_names = design.column_names;
    expanded.response_name = design.response_name;
    design = std::move(expanded);
  }
  const int num_classes = static_cast<int>(classes.size());
  const int p = design.NumFeatures();
  const std::vector<std::string> column_names = design.column_names;
  const double observations = static_cast<double>(design.NumSamples());
  auto model = SoftmaxModel::Create(std::move(design), num_classes, error);
  if (model == nullptr) return false;

  Eigen::VectorXd theta = Eigen::VectorXd::Zero(model->NumParameters());
  SolverSummary summary;
  Solve(GlmSpec::DefaultSolverOptions(), *model, &theta, &summary);
  if (!summary.IsSolutionUsable()) {
    *error = "the optimizer failed: " + summary.message;
    return false;
  }
  fit->converged = summary.termination_type == TerminationType::kConvergence;
  if (fit->converged) Polish(*model, &theta);
  double value = 0.0;
  Eigen::VectorXd gradient;
  model->Evaluate(theta, &value, &gradient);

  InferenceOptions inference_options;
  inference_options.aliasing_tolerance = 0.0;
  InferenceResult inference;
  if (!ComputeInference(inference_options, *model, theta, &inference, error)) {
    *error = "the standard errors: " + *error;
    return false;
  }
  fit->classes = classes;
  fit->column_names = column_names;
  fit->coefficients.resize(num_classes - 1, p);
  fit->std_errors.resize(num_classes - 1, p);
  for (int k = 0; k + 1 < num_classes; ++k) {
    for (int j = 0; j < p; ++j) {
      fit->coefficients(k, j) = theta[k * p + j];
      fit->std_errors(k, j) = inference.coefficients[k * p + j].standard_error;
    }
  }
  fit->covariance = inference.covariance;
  fit->log_likelihood = -value;
  fit->deviance = 2.0 * value;
  fit->edf = (num_classes - 1) * p;
  fit->num_observations = observations;
  fit->aic = fit->deviance + 2.0 * fit->edf;
  fit->bic = fit->deviance + std::log(observations) * fit->edf;
  fit->summary = summary;
  return true;
}

}  // namespace fisheropt
