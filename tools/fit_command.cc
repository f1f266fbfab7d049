#include "tools/fit_command.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <climits>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "fisher/inference.h"
#include "linalg/weighted_gram.h"
#include "optim/logging_callback.h"
#include "optim/newton_solver.h"
#include "problems/csv_reader.h"
#include "problems/design_diagnostics.h"
#include "problems/glm_model.h"
#include "problems/mle_existence.h"
#include "problems/model_registry.h"
#include "problems/multivariate_normal_model.h"
#include "problems/printable_text.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/nist_command.h"
#include "tools/optimizer_registry.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

constexpr double kLogTwoPi = 1.8378770664093454836;

// What kind of response a family has, for the parts of a GLM report that
// depend on it (saturated likelihood, dispersion, separation).
enum class ResponseKind { kBinary, kCount, kContinuous };

ResponseKind KindOf(GlmFamilyType family) {
  switch (family) {
    case GlmFamilyType::kBernoulliLogit:
    case GlmFamilyType::kBernoulliProbit:
    case GlmFamilyType::kBernoulliCloglog:
      return ResponseKind::kBinary;
    case GlmFamilyType::kPoissonLog:
      return ResponseKind::kCount;
    case GlmFamilyType::kGaussianIdentity:
      return ResponseKind::kContinuous;
  }
  return ResponseKind::kBinary;
}

// R's name of the response distribution (summary.glm's "Family:").
std::string RFamilyName(GlmFamilyType family) {
  switch (KindOf(family)) {
    case ResponseKind::kBinary:
      return "binomial";
    case ResponseKind::kCount:
      return "poisson";
    case ResponseKind::kContinuous:
      return "gaussian";
  }
  return ToString(family);
}

// log p of the saturated model (μ_i = y_i), with the family's ℓ convention
// (the Gaussian family's ℓ has φ = 1, so its deviance is the RSS).
double SaturatedLogLikelihood(ResponseKind kind, const Eigen::VectorXd& y) {
  switch (kind) {
    case ResponseKind::kBinary:
      return 0.0;
    case ResponseKind::kCount: {
      double sum = 0.0;
      for (Eigen::Index i = 0; i < y.size(); ++i) {
        if (y[i] > 0)
          sum += y[i] * std::log(y[i]) - y[i] - std::lgamma(y[i] + 1);
      }
      return sum;
    }
    case ResponseKind::kContinuous:
      return -0.5 * y.size() * kLogTwoPi;
  }
  return 0.0;
}

// The per-sample quantities of a GLM fit at γ, summed in row order over
// chunks (so no N-vector of η or ℓ is kept, and the sums do not depend on
// the thread count).
struct SampleFit {
  double negative_log_likelihood = 0.0;
  // Σ unit deviances: −2ℓ (binary), 2[y log(y/μ) − (y − μ)] (Poisson),
  // (y − μ)² (Gaussian, whose ℓ has φ = 1).
  double deviance = 0.0;
  double fitted_square_sum = 0.0;  // Σ η², for the perfect-fit criterion
  int num_fitted_at_bound = 0;     // ℓ_i > −1e-8: μ numerically 0 or 1
  int num_near_bound = 0;          // ℓ_i > −1e-6 (discrete families)
};

SampleFit SummarizeSampleFit(const GlmFamily& family, ResponseKind kind,
                             const RowMatrixXd& x, const Eigen::VectorXd& y,
                             const Eigen::VectorXd& gamma) {
  SampleFit fit;
  Eigen::VectorXd eta, log_likelihood;
  for (Eigen::Index begin = 0; begin < x.rows(); begin += kRowsPerChunk) {
    const Eigen::Index count =
        std::min<Eigen::Index>(kRowsPerChunk, x.rows() - begin);
    eta = x.middleRows(begin, count) * gamma;
    const auto y_chunk = y.segment(begin, count);
    family.Evaluate(eta, y_chunk, &log_likelihood, nullptr, nullptr);
    fit.negative_log_likelihood -= log_likelihood.sum();
    fit.fitted_square_sum += eta.squaredNorm();
    for (Eigen::Index i = 0; i < count; ++i) {
      const double yi = y_chunk[i];
      switch (kind) {
        case ResponseKind::kBinary:
          fit.deviance -= 2.0 * log_likelihood[i];
          break;
        case ResponseKind::kCount: {
          const double mu = std::exp(eta[i]);
          fit.deviance +=
              2.0 * ((yi > 0.0 ? yi * std::log(yi / mu) : 0.0) - (yi - mu));
          break;
        }
        case ResponseKind::kContinuous:
          fit.deviance += (yi - eta[i]) * (yi - eta[i]);
          break;
      }
      if (kind != ResponseKind::kContinuous) {
        if (log_likelihood[i] > -1e-8) ++fit.num_fitted_at_bound;
        if (log_likelihood[i] > -1e-6) ++fit.num_near_bound;
      }
    }
  }
  return fit;
}

bool ParseCovariance(const std::string& name, CovarianceSource* source,
                     std::string* error) {
  if (name == "fisher") {
    *source = CovarianceSource::kInverseFisher;
  } else if (name == "observed") {
    *source = CovarianceSource::kInverseObservedInformation;
  } else if (name == "sandwich") {
    *source = CovarianceSource::kSandwich;
  } else {
    *error =
        "unknown --covariance '" + name + "'; use fisher, observed or sandwich";
    return false;
  }
  return true;
}

std::string DescribeCovariance(CovarianceSource source) {
  switch (source) {
    case CovarianceSource::kInverseFisher:
      return "inverse expected Fisher information (as R's glm)";
    case CovarianceSource::kInverseObservedInformation:
      return "inverse observed information (Hessian)";
    case CovarianceSource::kSandwich:
      return "sandwich H^-1 F_emp H^-1 (HC0, robust)";
  }
  return "";
}

nlohmann::json NumberOrNull(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

nlohmann::json MatrixJson(const Eigen::MatrixXd& matrix) {
  nlohmann::json rows = nlohmann::json::array();
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index j = 0; j < matrix.cols(); ++j) {
      row.push_back(NumberOrNull(matrix(i, j)));
    }
    rows.push_back(row);
  }
  return rows;
}

// The JSON text of a fit. Column names come from the user's file in any
// encoding; nlohmann::json throws on a string that is not UTF-8 (a Latin-1
// header such as "caf\xE9" made `fit --json` terminate), so invalid bytes
// are written as U+FFFD instead.
std::string JsonText(const nlohmann::json& json) {
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   nlohmann::json::error_handler_t::replace) +
         "\n";
}

// Every file `fit` writes replaces its old contents atomically or not at
// all (tools/output_file.h).
bool WriteText(const std::string& path, const std::string& text,
               std::string* error) {
  return WriteFileAtomically(path, text, error);
}

std::string TraceCsv(const SolverSummary& summary) {
  std::string csv =
      "iteration,time_seconds,nll,gradient_max_norm,step_norm,damping,kl\n";
  for (const IterationSummary& it : summary.iterations) {
    csv += fmt::format("{},{:.9g},{:.17g},{:.9g},{:.9g},{:.9g},{:.9g}\n",
                       it.iteration, it.cumulative_time_in_seconds, it.cost,
                       it.gradient_max_norm, it.step_norm, it.damping,
                       it.quadratic_form);
  }
  return csv;
}

// The logger of `fit -v`: the iteration table on stderr, no decorations.
std::shared_ptr<spdlog::logger> StderrLogger() {
  auto logger = std::make_shared<spdlog::logger>(
      "fisheropt-fit", std::make_shared<spdlog::sinks::stderr_sink_st>());
  logger->set_pattern("%v");
  return logger;
}

// Runs the named optimizer on a model; the iteration table goes to stderr
// when verbose.
bool Optimize(const FitOptions& options, const LikelihoodModel& model,
              Eigen::VectorXd* theta, SolverSummary* summary,
              std::string* error) {
  OptimizerSpec spec;
  if (!FindOptimizer(options.optimizer, &spec, error)) return false;
  StoppingOptions stopping;
  stopping.max_iterations = options.max_iterations;
  stopping.function_tolerance = options.tolerance;
  stopping.parameter_tolerance = 1e-14;
  if (!stopping.IsValid(error)) return false;
  LoggingCallback log_iterations(StderrLogger());
  if (options.verbose) spec.solver.callbacks.push_back(&log_iterations);
  RunOptimizer(spec, stopping, model, theta, summary);
  return true;
}

// The fitted summary line shared by both model kinds.
std::string OptimizerLine(const SolverSummary& summary) {
  return fmt::format("Optimizer: {} ({} + {}), {} iterations: {}\n",
                     summary.solver, summary.curvature, summary.step_control,
                     summary.num_iterations(),
                     ToString(summary.termination_type));
}

std::string WarningsText(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return "";
  std::string text = "\nWarnings:\n";
  for (const std::string& warning : warnings) text += "  - " + warning + "\n";
  return text;
}

int Fail(std::ostream& err, const std::string& message) {
  err << "fisheropt fit: " << message << "\n";
  return 1;
}

// A usage error (an unknown name or a missing option): exit status 2, as
// the command line's own usage errors.
int UsageError(std::ostream& err, const std::string& message) {
  err << "fisheropt fit: " << message << "\n";
  return 2;
}

// The models fit reports on (problems/model_registry.h): every GLM family,
// with the GLM report (FitGlm), in the order of GlmFamilyNames(); then the
// models of a sample matrix, with the multivariate normal's report
// (FitMultivariateNormal; the registry test checks that mvn is the only
// one).
std::vector<const ModelEntry*> FitModels() {
  std::vector<const ModelEntry*> models;
  for (const std::string& family : GlmFamilyNames()) {
    models.push_back(FindModel(family));
  }
  for (const ModelEntry& entry : ModelRegistry()) {
    if (entry.from_samples) models.push_back(&entry);
  }
  return models;
}

// The names of FitModels(); only the GLMs' or only the others' when `glm`
// is given.
std::vector<std::string> FitModelNames(std::optional<bool> glm = {}) {
  std::vector<std::string> names;
  for (const ModelEntry* entry : FitModels()) {
    if (!glm.has_value() || *glm == entry->glm_family.has_value()) {
      names.push_back(entry->name);
    }
  }
  return names;
}

// The entry of --model (a name or a GLM family's alias), if fit reports on
// it.
const ModelEntry* FindFitModel(const std::string& name) {
  const ModelEntry* entry = FindModel(name);
  for (const ModelEntry* model : FitModels()) {
    if (model == entry) return entry;
  }
  return nullptr;
}

int FitMultivariateNormal(const FitOptions& options, CsvTable table,
                          std::ostream& out, std::ostream& err) {
  RowMatrixXd samples;
  std::vector<std::string> names;
  int dropped = 0;
  std::string error;
  // The table's blocks are released as the samples fill.
  if (!BuildSampleMatrix(std::move(table), options.variables,
                         options.drop_missing, &samples, &names, &dropped,
                         &error)) {
    return Fail(err, error);
  }
  std::vector<std::string> warnings;
  if (dropped > 0) {
    warnings.push_back(
        fmt::format("dropped {} rows with missing values", dropped));
  }
  // The optimizer starts from the sample means and variances (a diagonal
  // covariance), so that data far from zero (offsets of 1e9) start where
  // the likelihood is of ordinary size, as R's glm starts from μ = y.
  const Eigen::VectorXd column_mean = samples.colwise().mean().transpose();
  const Eigen::VectorXd column_variance =
      (samples.rowwise() - column_mean.transpose())
          .colwise()
          .squaredNorm()
          .transpose() /
      static_cast<double>(samples.rows());
  auto model = MultivariateNormalModel::Create(std::move(samples), &error);
  if (model == nullptr) return Fail(err, error);
  Eigen::VectorXd theta = MultivariateNormalModel::ParametersFromMoments(
      column_mean, column_variance.asDiagonal().toDenseMatrix());
  SolverSummary summary;
  if (!Optimize(options, *model, &theta, &summary, &error)) {
    return Fail(err, error);
  }
  if (!summary.IsSolutionUsable()) {
    return Fail(err, "the optimizer failed: " + summary.message);
  }
  const bool converged =
      summary.termination_type == TerminationType::kConvergence;
  if (!converged) {
    warnings.push_back("did not converge (" + summary.message +
                       "); the estimates are the last good point");
  }
  const Eigen::VectorXd mean = model->Mean(theta);
  const Eigen::MatrixXd covariance = model->Covariance(theta);
  double nll = 0.0;
  model->Evaluate(theta, &nll, nullptr);

  out << "Call:\n" << options.call << "\n\n";
  out << fmt::format("Multivariate normal, {} samples of {} variables\n\n",
                     model->NumSamples(), model->Dimension());
  out << fmt::format("{:<16}{:>16}\n", "variable", "mean");
  for (int j = 0; j < model->Dimension(); ++j) {
    out << fmt::format("{:<16}{:>16.8g}\n", names[j], mean[j]);
  }
  out << "\nCovariance (maximum likelihood, divided by N):\n";
  for (int j = 0; j < model->Dimension(); ++j) {
    out << fmt::format("{:<16}", names[j]);
    for (int k = 0; k < model->Dimension(); ++k) {
      out << fmt::format("{:>16.8g}", covariance(j, k));
    }
    out << "\n";
  }
  out << fmt::format("\nLog-likelihood: {:.10g}\n", -nll);
  out << OptimizerLine(summary) << WarningsText(warnings);

  if (!options.json_path.empty()) {
    nlohmann::json json;
    json["model"] = "mvn";
    json["optimizer"] = options.optimizer;
    json["converged"] = converged;
    json["iterations"] = summary.num_iterations();
    json["variables"] = names;
    json["mean"] = std::vector<double>(mean.data(), mean.data() + mean.size());
    json["covariance"] = MatrixJson(covariance);
    json["log_likelihood"] = -nll;
    json["warnings"] = warnings;
    if (!WriteText(options.json_path, JsonText(json), &error)) {
      return Fail(err, error);
    }
  }
  if (!options.trace_path.empty() &&
      !WriteText(options.trace_path, TraceCsv(summary), &error)) {
    return Fail(err, error);
  }
  return 0;
}

int FitGlm(const FitOptions& options, GlmFamilyType family, CsvTable table,
           std::ostream& out, std::ostream& err) {
  std::string error;
  const std::string family_name = ToString(family);
  const ResponseKind kind = KindOf(family);
  CovarianceSource source;
  if (!ParseCovariance(options.covariance, &source, &error)) {
    return UsageError(err, error);
  }
  if (options.response.empty()) {
    return UsageError(
        err, "--response is required for the " + family_name +
                 " model; columns: " + [&] {
                   std::string list;
                   for (const auto& name : table.column_names()) {
                     list += (list.empty() ? "" : ", ") + PrintableText(name);
                   }
                   return list;
                 }());
  }
  DatasetSpec spec;
  spec.response = options.response;
  spec.predictors = options.predictors;
  spec.intercept = !options.no_intercept;
  spec.drop_incomplete_rows = options.drop_missing;
  Dataset data;
  int dropped = 0;
  // The table's blocks are released as X fills.
  if (!BuildDataset(std::move(table), spec, &data, &dropped, &error)) {
    return Fail(err, error);
  }
  std::vector<std::string> warnings;
  if (dropped > 0) {
    warnings.push_back(
        fmt::format("dropped {} rows with missing values", dropped));
  }
  const int n = data.NumSamples();
  const int p_full = data.NumFeatures();
  if (n <= p_full) {
    return Fail(err, fmt::format("{} rows but {} coefficients: the model needs "
                                 "more rows than coefficients",
                                 n, p_full));
  }

  if (!options.no_intercept) {
    for (int j = 1; j < p_full; ++j) {
      if (data.column_names[j] == "(Intercept)") {
        return Fail(err,
                    "column '(Intercept)' has the name of the intercept; "
                    "rename it, or fit with --no-intercept");
      }
    }
  }

  // The rank is decided once, on X (R's lm rule, scale-invariant): aliased
  // columns are left out and reported as NA. The kept columns are replaced
  // by the orthonormal basis Q of their QR decomposition, so that the
  // optimizer and the inference work on a curvature QᵀWQ whose conditioning
  // does not depend on how far the predictors are from zero; estimates and
  // covariances are mapped back to X's columns at the end, both from the
  // same model.
  const std::vector<std::string> full_names = data.column_names;
  const DesignQr design_qr = AnalyzeDesign(data.x);
  for (int j : design_qr.aliased) {
    warnings.push_back("coefficient '" + full_names[j] +
                       "' is aliased: its column is a linear combination "
                       "of earlier columns (reported as NA, as R does)");
  }
  const std::vector<int>& kept = design_qr.kept;
  if (kept.empty()) return Fail(err, "every column of the design is zero");
  const int p = static_cast<int>(kept.size());
  std::vector<std::string> kept_names;
  for (int j : kept) kept_names.push_back(full_names[j]);
  Dataset basis;
  basis.response_name = data.response_name;
  basis.y = std::move(data.y);
  basis.column_names = kept_names;
  if (design_qr.aliased.empty()) {
    basis.x = std::move(data.x);
  } else {
    basis.x = data.x(Eigen::all, kept);
    data.x.resize(0, 0);
  }
  OrthonormalizeDesign(design_qr, &basis.x);
  auto model = GlmModel::Create(std::move(basis), family, &error);
  if (model == nullptr) return Fail(err, error);

  Eigen::VectorXd gamma = Eigen::VectorXd::Zero(p);
  SolverSummary summary;
  if (!Optimize(options, *model, &gamma, &summary, &error)) {
    return Fail(err, error);
  }
  if (!summary.IsSolutionUsable()) {
    return Fail(err, "the optimizer failed: " + summary.message);
  }
  bool converged = summary.termination_type == TerminationType::kConvergence;
  if (!converged) {
    warnings.push_back("did not converge (" + summary.message +
                       "); the estimates are the last good point");
  }
  const Eigen::VectorXd beta = CoefficientsInDesignBasis(design_qr, gamma);

  // Per-sample fit at the estimate, in one chunked pass (no N-vector).
  const RowMatrixXd& q_basis = model->data().x;
  const Eigen::VectorXd& y = model->data().y;
  const SampleFit sample_fit =
      SummarizeSampleFit(model->family(), kind, q_basis, y, gamma);
  const int fitted_at_bound = sample_fit.num_fitted_at_bound;

  // Whether the MLE exists: a linear program on the design (separation for
  // binary responses, zero-count directions for Poisson), run when some
  // sample is fitted to within 1e-6 of a likelihood of 1 (ℓ_i > −1e-6) or
  // the optimizer stopped early: without either the estimate is interior.
  if (kind != ResponseKind::kContinuous) {
    const bool near_bound = !converged || sample_fit.num_near_bound > 0;
    MleExistence existence;
    constexpr double kMaxLinearProgramEntries = 5e7;
    if (near_bound && static_cast<double>(n) * p > kMaxLinearProgramEntries) {
      warnings.push_back(fmt::format(
          "{} samples are fitted at the boundary and the design is too "
          "large ({} x {}) for the linear program that checks whether the "
          "MLE exists; the estimates may be diverging",
          fitted_at_bound, n, p));
    } else if (near_bound &&
               !CheckMleExistence(q_basis, y, family, &existence, &error)) {
      warnings.push_back("the MLE existence check failed: " + error);
    } else if (!existence.exists) {
      Eigen::VectorXd direction =
          CoefficientsInDesignBasis(design_qr, existence.direction);
      direction /= direction.stableNorm();
      const std::string along = DescribeDirection(direction, kept_names);
      if (kind == ResponseKind::kBinary) {
        warnings.push_back(fmt::format(
            "separation: the data are (quasi-)completely separated along {} "
            "({} samples strictly); the MLE does not exist (the "
            "coefficients diverge), so the estimates and standard errors "
            "are not meaningful",
            along, existence.num_separated_rows));
      } else {
        warnings.push_back(fmt::format(
            "the MLE does not exist: the likelihood keeps increasing along "
            "{}, which lowers toward 0 the fitted means of {} samples whose "
            "counts are all zero and changes no other (e.g. a group whose "
            "counts are all zero); the coefficients diverge, so the "
            "estimates and standard errors are not meaningful",
            along, existence.num_separated_rows));
      }
      converged = false;
    } else if (kind == ResponseKind::kBinary && fitted_at_bound > 0) {
      warnings.push_back(fmt::format(
          "fitted probabilities numerically 0 or 1 occurred ({} samples)",
          fitted_at_bound));
    }
  }

  // Likelihood, deviances, AIC; deviances summed from their unit terms
  // (no difference of two large log-likelihoods).
  const double nll = sample_fit.negative_log_likelihood;
  const double deviance = sample_fit.deviance;
  // The null deviance: with an intercept, the intercept-only MLE is μ = ȳ
  // for every family and link here (its score equation is Σ(y − μ) = 0),
  // so it is the deviance at ȳ, in closed form (no second model, no second
  // copy of y); without one, the model at β = 0.
  double null_deviance = 0.0;
  if (options.no_intercept) {
    double null_nll = 0.0;
    model->Evaluate(Eigen::VectorXd::Zero(p), &null_nll, nullptr);
    null_deviance = kind == ResponseKind::kContinuous
                        ? y.squaredNorm()
                        : 2.0 * (SaturatedLogLikelihood(kind, y) + null_nll);
  } else {
    const double mean = y.mean();
    for (Eigen::Index i = 0; i < n; ++i) {
      const double yi = y[i];
      switch (kind) {
        case ResponseKind::kBinary:
          null_deviance -=
              2.0 * (yi > 0.5 ? std::log(mean) : std::log1p(-mean));
          break;
        case ResponseKind::kCount:
          null_deviance +=
              2.0 * ((yi > 0.0 ? yi * std::log(yi / mean) : 0.0) - (yi - mean));
          break;
        case ResponseKind::kContinuous:
          null_deviance += (yi - mean) * (yi - mean);
          break;
      }
    }
  }
  double log_likelihood = -nll;
  double dispersion = 1.0;
  double degrees_of_freedom = 0.0;
  double sigma2_mle = 0.0;
  int num_estimated = p;
  bool perfect_fit = false;
  if (kind == ResponseKind::kContinuous) {
    const double rss = deviance;
    sigma2_mle = rss / n;
    dispersion = rss / (n - p);
    degrees_of_freedom = n - p;
    log_likelihood = -0.5 * n * (kLogTwoPi + std::log(sigma2_mle) + 1.0);
    num_estimated = p + 1;  // σ
    // R's summary.lm: "essentially perfect fit" when the residual variance
    // is below 1e-30 of the fitted values' second moment.
    const double fitted_moment = sample_fit.fitted_square_sum / n;
    perfect_fit = !(dispersion > 1e-30 * fitted_moment);
    if (perfect_fit) {
      warnings.push_back(
          "essentially perfect fit: the residuals are zero to rounding, so "
          "the dispersion, the standard errors, the log-likelihood and the "
          "AIC are not defined (reported as NA)");
      dispersion = sigma2_mle = log_likelihood = std::nan("");
    }
  }
  const double aic = -2.0 * log_likelihood + 2.0 * num_estimated;

  // Inference on the orthonormal basis, mapped back to the kept columns,
  // then NA rows for the aliased ones. The rank was decided above, so the
  // inference sets nothing aside (aliasing tolerance 0).
  InferenceOptions inference_options;
  inference_options.covariance_source = source;
  inference_options.dispersion = perfect_fit ? 1.0 : dispersion;
  inference_options.degrees_of_freedom = degrees_of_freedom;
  inference_options.aliasing_tolerance = 0.0;
  Eigen::MatrixXd kept_covariance =
      Eigen::MatrixXd::Constant(p, p, std::nan(""));
  InferenceResult basis_inference;
  if (perfect_fit) {
    // Standard errors are NA (warned above).
  } else if (!ComputeInference(inference_options, *model, gamma,
                               &basis_inference, &error)) {
    warnings.push_back("standard errors are not available: " + error);
  } else {
    kept_covariance =
        ScaledCovarianceInDesignBasis(design_qr, basis_inference.covariance);
  }
  Eigen::MatrixXd full_covariance =
      Eigen::MatrixXd::Constant(p_full, p_full, std::nan(""));
  Eigen::VectorXd full_beta = Eigen::VectorXd::Constant(p_full, std::nan(""));
  Eigen::VectorXd full_scale = Eigen::VectorXd::Ones(p_full);
  for (int k = 0; k < p; ++k) {
    full_beta[kept[k]] = beta[k];
    full_scale[kept[k]] = design_qr.column_scale[k];
    for (int l = 0; l < p; ++l) {
      full_covariance(kept[k], kept[l]) = kept_covariance(k, l);
    }
  }
  InferenceResult inference;
  if (!ComputeInferenceFromCovariance(inference_options, full_names, full_beta,
                                      full_covariance, &full_scale, &inference,
                                      &error)) {
    return Fail(err, error);
  }

  // The R-style summary.
  out << "Call:\n" << options.call << "\n\n";
  out << fmt::format("Family: {} ({}), {} observations\n\n",
                     RFamilyName(family), family_name, n);
  out << "Coefficients:\n" << FormatCoefficientTable(inference) << "\n";
  if (kind == ResponseKind::kContinuous) {
    out << fmt::format(
        "(Dispersion parameter for gaussian family taken to be {:.10g})\n\n",
        dispersion);
  } else {
    out << fmt::format("(Dispersion parameter for {} family taken to be 1)\n\n",
                       RFamilyName(family));
  }
  out << fmt::format("    Null deviance: {:.10g}  on {}  degrees of freedom\n",
                     null_deviance, n - (options.no_intercept ? 0 : 1));
  out << fmt::format("Residual deviance: {:.10g}  on {}  degrees of freedom\n",
                     deviance, n - p);
  out << fmt::format("AIC: {:.10g}\n", aic);
  out << fmt::format("Log-likelihood: {:.10g} (df={})\n\n", log_likelihood,
                     num_estimated);
  out << OptimizerLine(summary);
  out << "Standard errors: " << DescribeCovariance(source) << "\n";
  out << WarningsText(warnings);

  if (!options.json_path.empty()) {
    nlohmann::json json;
    json["model"] = family_name;
    json["optimizer"] = options.optimizer;
    json["converged"] = converged;
    json["iterations"] = summary.num_iterations();
    json["log_likelihood"] = log_likelihood;
    json["deviance"] = deviance;
    json["null_deviance"] = null_deviance;
    json["aic"] = aic;
    json["covariance_source"] = options.covariance;
    const std::string statistic = inference.StatisticName();
    nlohmann::json coefficients = nlohmann::json::array();
    for (const CoefficientInference& c : inference.coefficients) {
      coefficients.push_back({{"name", c.name},
                              {"estimate", NumberOrNull(c.estimate)},
                              {"std_error", NumberOrNull(c.standard_error)},
                              {statistic, NumberOrNull(c.statistic)},
                              {"p_value", NumberOrNull(c.p_value)},
                              {"aliased", c.aliased}});
    }
    json["coefficients"] = coefficients;
    json["covariance"] = MatrixJson(inference.covariance);
    if (kind == ResponseKind::kContinuous) {
      json["dispersion"] = dispersion;
      json["sigma2_mle"] = sigma2_mle;
    }
    json["warnings"] = warnings;
    if (!WriteText(options.json_path, JsonText(json), &error)) {
      return Fail(err, error);
    }
  }
  if (!options.trace_path.empty() &&
      !WriteText(options.trace_path, TraceCsv(summary), &error)) {
    return Fail(err, error);
  }
  return 0;
}

int FitNist(const FitOptions& options, std::ostream& out, std::ostream& err) {
  NistFitOptions nist;
  nist.file = options.nist_path;
  nist.start = options.nist_start;
  nist.optimizer = options.optimizer;
  // The command line's defaults for a NIST fit are NIST's own (1000
  // iterations, tolerance 1e-15; tools/command_line.cc); what is given here
  // applies, as for the CSV fits.
  nist.stopping.max_iterations = options.max_iterations;
  nist.stopping.function_tolerance = options.tolerance;
  LoggingCallback log_iterations(StderrLogger());
  if (options.verbose) nist.callbacks.push_back(&log_iterations);
  NistFitResult result;
  std::string error;
  if (!RunNistFit(nist, &result, &error)) return Fail(err, error);
  out << "Call:\n" << options.call << "\n\n" << FormatNistFit(result);
  if (!options.json_path.empty() &&
      !WriteText(options.json_path, NistFitToJson(result), &error)) {
    return Fail(err, error);
  }
  if (!options.trace_path.empty() &&
      !WriteText(options.trace_path, TraceCsv(result.summary), &error)) {
    return Fail(err, error);
  }
  return 0;
}

}  // namespace

int RunFit(const FitOptions& options, std::ostream& out, std::ostream& err) {
  if (options.data_path.empty() == options.nist_path.empty()) {
    return Fail(err, "give exactly one of --data FILE.csv and --nist FILE.dat");
  }
  if (!options.nist_path.empty()) return FitNist(options, out, err);
  std::string error;
  const ModelEntry* model = FindFitModel(options.model);
  if (model == nullptr) {
    return UsageError(err,
                      "unknown --model '" + PrintableText(options.model) +
                          "'; known models: " + JoinNames(FitModelNames()));
  }
  OptimizerSpec spec;
  if (!FindOptimizer(options.optimizer, &spec, &error)) {
    return UsageError(err, error);
  }
  CovarianceSource source;
  if (!ParseCovariance(options.covariance, &source, &error)) {
    return UsageError(err, error);
  }
  CsvTable table;
  if (!ReadCsvFile(options.data_path, &table, &error)) return Fail(err, error);
  return model->glm_family.has_value()
             ? FitGlm(options, *model->glm_family, std::move(table), out, err)
             : FitMultivariateNormal(options, std::move(table), out, err);
}

namespace {

// The loosest --tolerance that gives no warning.
constexpr double kLooseTolerance = 1e-6;

// The summary is printed only when the fit and its files succeeded: exit
// status 1 comes with one line on stderr and nothing on stdout.
int RunFitCommand(const FitOptions& fit, std::ostream& out, std::ostream& err) {
  std::ostringstream summary;
  const int status = RunFit(fit, summary, err);
  if (status != 0) return status;
  out << summary.str();
  if (fit.tolerance > kLooseTolerance) {
    err << "fisheropt fit: warning: --tolerance " << fit.tolerance
        << " is loose (above " << kLooseTolerance
        << "): the fit may have stopped before the estimates converged\n";
  }
  return 0;
}

}  // namespace

RegisteredCommand RegisterFitCommand(CLI::App* app, CommandLine* command_line) {
  FitOptions& fit = command_line->fit;
  CLI::App* command = app->add_subcommand(
      "fit", "Fit a statistical model to a CSV file (R-style summary)");
  CLI::Option* data_option =
      command->add_option("--data", fit.data_path, "CSV file with a header row")
          ->check(FileName())
          ->type_name("FILE");
  CLI::Option* nist_option =
      command
          ->add_option("--nist", fit.nist_path,
                       "A NIST StRD nonlinear-regression .dat file")
          ->check(FileName())
          ->type_name("FILE");
  command
      ->add_option("--start", fit.nist_start,
                   "NIST starting values: 1 (far) or 2 (near)")
      ->capture_default_str();
  command
      ->add_option("--model", fit.model,
                   JoinNames(FitModelNames(/*glm=*/true)) + " (GLMs) or " +
                       JoinNames(FitModelNames(/*glm=*/false)))
      ->capture_default_str();
  command->add_option("--response", fit.response, "Response column (GLMs)");
  command
      ->add_option("--predictors", fit.predictors,
                   "Comma-separated predictor columns (default: every other "
                   "numeric column)")
      ->delimiter(',');
  command->add_flag("--no-intercept", fit.no_intercept,
                    "No (Intercept) column");
  command
      ->add_option("--variables", fit.variables,
                   "Comma-separated columns for mvn (default: all numeric)")
      ->delimiter(',');
  command->add_flag("--drop-missing", fit.drop_missing,
                    "Drop rows with a missing (empty or NA) used cell");
  command
      ->add_option("--optimizer", fit.optimizer,
                   "One of: " + JoinNames(BuiltinOptimizerNames()))
      ->capture_default_str();
  command
      ->add_option("--covariance", fit.covariance,
                   "Standard errors from: fisher (inverse expected Fisher, as "
                   "R), observed (inverse Hessian) or sandwich (HC0)")
      ->capture_default_str();
  const NistFitOptions nist_defaults;
  CLI::Option* max_iterations_option =
      command
          ->add_option(
              "--max-iterations", fit.max_iterations,
              "Iteration limit, >= 1 (with --nist: default " +
                  std::to_string(nist_defaults.stopping.max_iterations) + ")")
          ->transform(WholeNumber(1, INT_MAX))
          ->capture_default_str();
  CLI::Option* tolerance_option =
      command
          ->add_option(
              "--tolerance", fit.tolerance,
              "Relative function tolerance in (0, 1): stop when an "
              "iteration changes the negative log-likelihood by at most "
              "this fraction of it; a warning above 1e-6 (with --nist: "
              "default 1e-15)")
          ->check(RelativeTolerance())
          ->capture_default_str();
  command
      ->add_option("--json", fit.json_path,
                   "Write the fit as JSON (replaced atomically)")
      ->check(FileName())
      ->type_name("FILE");
  command
      ->add_option("--trace", fit.trace_path,
                   "Write the per-iteration trace as CSV (replaced atomically)")
      ->check(FileName())
      ->type_name("FILE");
  command->add_flag("-v,--verbose", fit.verbose, "Iteration table on stderr");

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kFit;
  registered.subcommand = command;
  registered.finish = [&fit, data_option, nist_option, max_iterations_option,
                       tolerance_option, nist_defaults](const std::string& call,
                                                        std::string* error) {
    fit.call = call;
    if (data_option->count() + nist_option->count() != 1) {
      *error = "give exactly one of --data FILE.csv and --nist FILE.dat";
      return false;
    }
    // A NIST fit is held to NIST's certified digits unless told otherwise.
    if (nist_option->count() > 0) {
      if (max_iterations_option->count() == 0) {
        fit.max_iterations = nist_defaults.stopping.max_iterations;
      }
      if (tolerance_option->count() == 0) {
        fit.tolerance = nist_defaults.stopping.function_tolerance;
      }
    }
    return CheckOutputFiles(
        {{"--data", fit.data_path}, {"--nist", fit.nist_path}},
        {{"--json", fit.json_path}, {"--trace", fit.trace_path}}, error);
  };
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunFitCommand(parsed.fit, out, err);
  };
  return registered;
}

}  // namespace fisheropt
