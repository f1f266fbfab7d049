#include "tools/fit_command.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "distributed/process_group.h"
#include "fisher/inference.h"
#include "linalg/weighted_gram.h"
#include "optim/logging_callback.h"
#include "optim/newton_solver.h"
#include "problems/csv_reader.h"
#include "problems/model_registry.h"
#include "problems/multivariate_normal_model.h"
#include "problems/npy_file.h"
#include "problems/printable_text.h"
#include "stats/data_frame.h"
#include "stats/family_names.h"
#include "stats/formula.h"
#include "stats/glm_fit.h"
#include "stats/glm_json.h"
#include "stats/multinomial.h"
#include "stats/negative_binomial.h"
#include "stats/robust_covariance.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/nist_command.h"
#include "tools/optimizer_registry.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

// --covariance: a model-based source, or R's sandwich types HC0 ... HC3
// (GLM families only).
bool ParseCovariance(const std::string& name, CovarianceSource* source,
                     RobustCovariance* robust, std::string* error) {
  *source = CovarianceSource::kInverseFisher;
  *robust = RobustCovariance::kNone;
  if (name == "fisher") {
  } else if (name == "observed") {
    *source = CovarianceSource::kInverseObservedInformation;
  } else if (name == "sandwich") {
    *source = CovarianceSource::kSandwich;
  } else if (!FromString(name, robust) || *robust == RobustCovariance::kNone) {
    *error = "unknown --covariance '" + PrintableText(name) +
             "'; use fisher, observed, sandwich, HC0, HC1, HC2 or HC3";
    return false;
  }
  return true;
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

// Progress lines on stderr for a stage that has run for 2 s: the library
// reports through callbacks, this decides whether to print. Short stages
// print nothing, so the stderr of a quick run is the same every time.
class Progress {
 public:
  Progress(bool quiet, std::ostream* err) : quiet_(quiet), err_(err) {
    Restart();
  }
  // A new stage: its 2 s start now.
  void Restart() {
    start_ = Clock::now();
    last_ = start_;
  }
  // True when a line is due: the stage has run 2 s and, when `throttle`,
  // a second has passed since the last line.
  bool Due(bool throttle) {
    if (quiet_) return false;
    const Clock::time_point now = Clock::now();
    if (now - start_ < std::chrono::seconds(2)) return false;
    if (throttle && now - last_ < std::chrono::seconds(1)) return false;
    last_ = now;
    return true;
  }
  double Seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }
  void Print(const std::string& line) {
    *err_ << "fisheropt fit: " << line << "\n" << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool quiet_;
  std::ostream* err_;
  Clock::time_point start_;
  Clock::time_point last_;
};

// One progress line per iteration once the solve has run 2 s.
class ProgressCallback final : public IterationCallback {
 public:
  explicit ProgressCallback(Progress* progress) : progress_(progress) {}
  CallbackReturnType operator()(const IterationSummary& summary) override {
    if (progress_->Due(/*throttle=*/false)) {
      progress_->Print(fmt::format(
          "iteration {}: NLL {:.10g}, gradient norm {:.3g} ({:.1f} s)",
          summary.iteration, summary.cost, summary.gradient_norm,
          progress_->Seconds()));
    }
    return CallbackReturnType::kContinue;
  }

 private:
  Progress* progress_;
};

// Reads the CSV file of --data, with progress lines when it takes 2 s.
bool ReadDataCsv(const FitOptions& options, std::ostream& err, CsvTable* table,
                 std::string* error) {
  Progress progress(options.quiet, &err);
  CsvReadOptions read;
  read.progress = [&](int64_t bytes, int64_t rows, int64_t total_bytes) {
    if (!progress.Due(/*throttle=*/true)) return;
    const double megabytes = static_cast<double>(bytes) / 1e6;
    progress.Print(fmt::format(
        "reading {}: {} rows, {:.0f}{} MB ({:.0f} MB/s)",
        PrintableText(options.data_path), rows, megabytes,
        total_bytes >= 0
            ? fmt::format(" of {:.0f}", static_cast<double>(total_bytes) / 1e6)
            : std::string(),
        megabytes / progress.Seconds()));
  };
  return ReadCsvFile(options.data_path, read, table, error);
}

// The optimizer of --optimizer and the stopping rules of --max-iterations
// and --tolerance.
bool OptimizerAndStopping(const FitOptions& options, OptimizerSpec* spec,
                          StoppingOptions* stopping, std::string* error) {
  if (!FindOptimizer(options.optimizer, spec, error)) return false;
  *stopping = GlmSpec::DefaultSolverOptions().stopping;
  stopping->max_iterations = options.max_iterations;
  stopping->function_tolerance = options.tolerance;
  return stopping->IsValid(error);
}

// Runs the named optimizer on a model; the iteration table goes to stderr
// when verbose.
bool Optimize(const FitOptions& options, const LikelihoodModel& model,
              Eigen::VectorXd* theta, SolverSummary* summary, std::ostream& err,
              std::string* error) {
  OptimizerSpec spec;
  StoppingOptions stopping;
  if (!OptimizerAndStopping(options, &spec, &stopping, error)) return false;
  LoggingCallback log_iterations(StderrLogger());
  if (options.verbose) spec.solver.callbacks.push_back(&log_iterations);
  Progress progress(options.quiet, &err);
  ProgressCallback report_progress(&progress);
  spec.solver.callbacks.push_back(&report_progress);
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

// The models of a sample matrix fit reports on (problems/model_registry.h),
// with the multivariate normal's report (FitMultivariateNormal; the
// registry test checks that mvn is the only one). GLMs are named by
// stats/family_names.h.
std::vector<std::string> SampleModelNames() {
  std::vector<std::string> names;
  for (const ModelEntry& entry : ModelRegistry()) {
    if (entry.from_samples) names.push_back(entry.name);
  }
  return names;
}

// Every --model name: the GLM families', then the sample models'.
std::vector<std::string> FitModelNames() {
  std::vector<std::string> names = GlmFamilyNameList();
  names.push_back("multinomial");
  for (const std::string& name : SampleModelNames()) names.push_back(name);
  return names;
}

// The formula of the simple form: response ~ predictors (every other column,
// R's ".", when none are given), "- 1" without an intercept.
std::string SimpleFormula(const FitOptions& options) {
  std::string formula = FormulaTermName(options.response) + " ~ ";
  if (options.predictors.empty()) {
    formula += ".";
  } else {
    for (size_t j = 0; j < options.predictors.size(); ++j) {
      formula += (j > 0 ? " + " : "") + FormulaTermName(options.predictors[j]);
    }
  }
  if (options.no_intercept) formula += " - 1";
  return formula;
}

// True when the model must go through a model frame (stats/model_frame.h)
// rather than the numeric fast path (BuildDataset, which streams the table
// into X without a copy of the data): a formula, weights or an offset, or
// a predictor column of text (given, or among the default predictors, every
// other column), which becomes a factor as in R instead of an error or a
// column left out.
bool NeedsModelFrame(const FitOptions& options, const CsvTable& table) {
  if (!options.formula.empty() || !options.weights.empty() ||
      !options.offset.empty()) {
    return true;
  }
  for (int c = 0; c < table.NumColumns(); ++c) {
    const std::string& name = table.column_names()[c];
    const bool predictor =
        options.predictors.empty()
            ? name != options.response
            : std::find(options.predictors.begin(), options.predictors.end(),
                        name) != options.predictors.end();
    if (predictor && !table.IsNumericColumn(c)) return true;
  }
  return false;
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
  if (!Optimize(options, *model, &theta, &summary, err, &error)) {
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

// A GLM on the CSV table, or on `npy_data` (the design of a .npy fit) when
// it is not null.
// --- Data-parallel fits (mpirun -np K fisheropt fit ...) -------------------
// Each process reads its part of the CSV file's rows (ReadCsvFilePart), a
// failure of any process's part is every process's failure with the lowest
// failing process's message, and FitGlm reduces the fit's row sums
// (GlmSpec::communicator). Process 0 prints and writes the files.

// ok on every process (one process: ok itself); *error becomes the lowest
// failing process's message, which names the process.
bool AgreedAcrossProcesses(const GlmSpec& glm, bool ok, std::string* error) {
  const Communicator* processes = glm.communicator;
  if (processes == nullptr) return ok;
  if (!ok) {
    *error = fmt::format("process {} of {}: {}", processes->rank(),
                         processes->size(), *error);
  }
  return processes->AgreeOk(ok, error);
}

// The processes' designs have the same columns (a default predictor is a
// column with a number in it, which one part may lack); *dropped becomes
// the rows dropped by all.
bool SameColumnsAcrossProcesses(const GlmSpec& glm, const Dataset& data,
                                int* dropped, std::string* error) {
  if (glm.communicator == nullptr) return true;
  std::string columns;
  for (const std::string& name : data.column_names) columns += name + '\n';
  const std::vector<std::string> all = glm.communicator->AllGather(columns);
  *dropped = static_cast<int>(
      glm.communicator->Sum(static_cast<std::int64_t>(*dropped)));
  for (size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) {
      *error = fmt::format(
          "the parts of the file read by processes 0 and {} have different "
          "numeric columns (a column has numbers in one part only); name the "
          "predictors with --predictors",
          r);
      return false;
    }
  }
  return true;
}

// "Processes: 2 (rows: 500, 501)" after the summary of a data-parallel fit.
std::string ProcessesLine(const GlmFit& fit) {
  if (fit.rows_per_process.size() < 2) return "";
  return fmt::format("Processes: {} (rows: {})\n", fit.rows_per_process.size(),
                     fmt::join(fit.rows_per_process, ", "));
}

// The fit's JSON with the doubles summed across the processes by this run
// (each travels up the reduction tree and back down once): the traffic of
// a data-parallel fit. Unchanged in one process.
std::string WithReducedValues(const std::string& text) {
  const Communicator* processes = ProcessGroup::Current();
  if (processes == nullptr || processes->size() < 2) return text;
  nlohmann::json json = nlohmann::json::parse(text);
  json["reduced_values"] = processes->NumValuesSummed();
  return JsonText(json);
}

int FitGlmCommand(const FitOptions& options, GlmSpec glm, CsvTable table,
                  Dataset* npy_data, std::ostream& out, std::ostream& err);

// The fit of a GLM to a CSV file by every process of `processes` (K > 1).
int FitAcrossProcesses(const FitOptions& options, GlmSpec glm, bool is_glm,
                       const Communicator& processes, std::ostream& out,
                       std::ostream& err) {
  if (!is_glm || glm.distribution == GlmDistribution::kNegativeBinomial) {
    return UsageError(err, "--model " + options.model +
                               " is fitted in one process; under mpirun, "
                               "fit a GLM family");
  }
  std::string error;
  OptimizerSpec optimizer;
  if (!FindOptimizer(options.optimizer, &optimizer, &error)) {
    return UsageError(err, error);
  }
  const SubsampleOptions& subsample = optimizer.solver.curvature.subsample;
  if (optimizer.kind == OptimizerSpec::Kind::kCeresTrustRegion ||
      (optimizer.kind == OptimizerSpec::Kind::kNewtonLike &&
       (subsample.fraction < 1.0 || subsample.rows_per_parameter > 0.0))) {
    return UsageError(
        err, "--optimizer " + options.optimizer +
                 " is not available under mpirun (" +
                 (optimizer.kind == OptimizerSpec::Kind::kCeresTrustRegion
                      ? "Ceres' trust region needs every residual in one "
                        "process"
                      : "each process would subsample its own rows") +
                 "); use fisher-scoring, newton or another optimizer");
  }
  CsvTable table;
  std::int64_t first_row = 0;
  const bool read = ReadCsvFilePart(options.data_path, CsvReadOptions(),
                                    CsvPart{processes.rank(), processes.size()},
                                    &table, &first_row, &error);
  if (!read) {
    error = fmt::format("process {} of {}: {}", processes.rank(),
                        processes.size(), error);
  } else if (table.NumRows() == 0) {
    error = fmt::format(
        "{}: process {} of {} has no rows to read; use fewer "
        "processes",
        PrintableText(options.data_path), processes.rank(), processes.size());
  }
  if (!processes.AgreeOk(read && table.NumRows() > 0, &error)) {
    return Fail(err, error);
  }
  glm.communicator = &processes;
  // Process 0 writes the files; the others compute the same fit.
  FitOptions part_options = options;
  if (processes.rank() != 0) {
    part_options.json_path.clear();
    part_options.trace_path.clear();
    part_options.verbose = false;  // -v logs to stderr directly
  }
  return FitGlmCommand(part_options, glm, std::move(table), nullptr, out, err);
}

int FitGlmCommand(const FitOptions& options, GlmSpec glm, CsvTable table,
                  Dataset* npy_data, std::ostream& out, std::ostream& err) {
  std::string error;
  if (npy_data == nullptr && !options.formula.empty() &&
      (!options.response.empty() || !options.predictors.empty() ||
       options.no_intercept)) {
    return UsageError(err,
                      "give either --formula or --response (with "
                      "--predictors, --no-intercept), not both; in a "
                      "formula, '- 1' removes the intercept");
  }
  if (npy_data == nullptr && options.formula.empty() &&
      options.response.empty()) {
    return UsageError(
        err, "--formula or --response is required for the " + options.model +
                 " model; columns: " + [&] {
                   std::string list;
                   for (const auto& name : table.column_names()) {
                     list += (list.empty() ? "" : ", ") + PrintableText(name);
                   }
                   return list;
                 }());
  }
  OptimizerSpec optimizer;
  StoppingOptions stopping;
  if (!OptimizerAndStopping(options, &optimizer, &stopping, &error)) {
    return Fail(err, error);
  }
  LoggingCallback log_iterations(StderrLogger());
  if (options.verbose) optimizer.solver.callbacks.push_back(&log_iterations);
  Progress progress(options.quiet, &err);
  ProgressCallback report_progress(&progress);
  optimizer.solver.callbacks.push_back(&report_progress);
  glm.minimize = [&](const LikelihoodModel& model, Eigen::VectorXd* theta,
                     SolverSummary* summary) {
    progress.Restart();
    RunOptimizer(optimizer, stopping, model, theta, summary);
  };

  GlmFit fit;
  // The negative binomial estimates θ too (glm.nb), through the model frame.
  const bool negative_binomial =
      glm.distribution == GlmDistribution::kNegativeBinomial;
  NegativeBinomialFit negative_binomial_fit;
  if (npy_data != nullptr) {
    if (!FitGlm(std::move(*npy_data), glm, &fit, &error)) {
      return Fail(err, error);
    }
  } else if (negative_binomial || NeedsModelFrame(options, table)) {
    const std::string formula =
        options.formula.empty() ? SimpleFormula(options) : options.formula;
    DataFrame frame;
    if (!AgreedAcrossProcesses(glm, DataFrameFromCsv(table, &frame, &error),
                               &error)) {
      return Fail(err, error);
    }
    table = CsvTable();  // the frame holds the data now
    ModelFrameOptions frame_options;
    frame_options.weights_column = options.weights;
    frame_options.offset_column = options.offset;
    frame_options.drop_incomplete_rows = options.drop_missing;
    if (negative_binomial) {
      if (!FitNegativeBinomial(formula, frame, glm, frame_options,
                               &negative_binomial_fit, &error)) {
        return Fail(err, error);
      }
      fit = negative_binomial_fit.glm;
    } else if (!FitGlm(formula, frame, glm, frame_options, &fit, &error)) {
      return Fail(err, error);
    }
  } else {
    DatasetSpec spec;
    spec.response = options.response;
    spec.predictors = options.predictors;
    spec.intercept = !options.no_intercept;
    spec.drop_incomplete_rows = options.drop_missing;
    Dataset data;
    int dropped = 0;
    // The table's blocks are released as X fills.
    if (!AgreedAcrossProcesses(
            glm, BuildDataset(std::move(table), spec, &data, &dropped, &error),
            &error) ||
        !SameColumnsAcrossProcesses(glm, data, &dropped, &error)) {
      return Fail(err, error);
    }
    if (!options.no_intercept) {
      for (int j = 1; j < data.NumFeatures(); ++j) {
        if (data.column_names[j] == "(Intercept)") {
          return Fail(err,
                      "column '(Intercept)' has the name of the intercept; "
                      "rename it, or fit with --no-intercept");
        }
      }
    }
    if (!FitGlm(std::move(data), glm, &fit, &error)) return Fail(err, error);
    if (dropped > 0) {
      fit.warnings.insert(
          fit.warnings.begin(),
          fmt::format("dropped {} rows with missing values", dropped));
    }
  }
  const SolverSummary& summary = fit.summary;
  out << (negative_binomial ? negative_binomial_fit.Report(options.call)
                            : fit.Report(options.call));
  out << ProcessesLine(fit);

  if (!options.json_path.empty()) {
    // A fit of numeric columns without a frame records its formula
    // (response ~ its predictors) so that `predict` rebuilds the design.
    if (!AttachNumericModelFrame(&fit, &error)) return Fail(err, error);
    std::string text = GlmFitToJson(fit, options.model, options.optimizer);
    if (negative_binomial) {
      nlohmann::json json = nlohmann::json::parse(text);
      json["theta"] = negative_binomial_fit.theta;
      json["theta_std_error"] = NumberOrNull(negative_binomial_fit.theta_se);
      json["twologlik"] = negative_binomial_fit.two_log_likelihood;
      text = JsonText(json);
    }
    text = WithReducedValues(text);
    if (!WriteText(options.json_path, text, &error)) {
      return Fail(err, error);
    }
  }
  if (!options.trace_path.empty() &&
      !WriteText(options.trace_path, TraceCsv(summary), &error)) {
    return Fail(err, error);
  }
  return 0;
}

// --model multinomial: nnet::multinom from a formula (FitMultinomial); the
// coefficient and standard-error matrices (rows: the classes after the
// baseline; columns: the design's), deviance and AIC.
int FitMultinomialCommand(const FitOptions& options, std::ostream& out,
                          std::ostream& err) {
  if (options.formula.empty() && options.response.empty()) {
    return UsageError(err,
                      "--formula or --response is required for the "
                      "multinomial model");
  }
  std::string error;
  CsvTable table;
  if (!ReadDataCsv(options, err, &table, &error)) return Fail(err, error);
  DataFrame frame;
  if (!DataFrameFromCsv(table, &frame, &error)) return Fail(err, error);
  const std::string formula =
      options.formula.empty() ? SimpleFormula(options) : options.formula;
  ModelFrameOptions frame_options;
  frame_options.weights_column = options.weights;
  frame_options.offset_column = options.offset;
  frame_options.drop_incomplete_rows = options.drop_missing;
  MultinomialFit fit;
  if (!FitMultinomial(formula, frame, frame_options, &fit, &error)) {
    return Fail(err, error);
  }
  std::string text;
  if (!options.call.empty()) text += "Call:\n" + options.call + "\n\n";
  std::string classes;
  for (const std::string& name : fit.classes) {
    classes += (classes.empty() ? "" : ", ") + name;
  }
  text += "Formula: " + formula + "\n";
  text += fmt::format(
      "Family: multinomial (baseline class: {}), {:.10g} observations\n"
      "Classes: {}\n\n",
      fit.classes.front(), fit.num_observations, classes);
  const auto matrix = [&](const Eigen::MatrixXd& values) {
    std::string block = fmt::format("{:>14}", "");
    for (const std::string& name : fit.column_names) {
      block += fmt::format(" {:>14}", name);
    }
    block += "\n";
    for (Eigen::Index k = 0; k < values.rows(); ++k) {
      block += fmt::format("{:>14}", fit.classes[k + 1]);
      for (Eigen::Index j = 0; j < values.cols(); ++j) {
        block += fmt::format(" {:>14.7g}", values(k, j));
      }
      block += "\n";
    }
    return block;
  };
  text += "Coefficients:\n" + matrix(fit.coefficients) + "\n";
  text += "Std. Errors:\n" + matrix(fit.std_errors) + "\n";
  text += fmt::format("Residual Deviance: {:.10g}\nAIC: {:.10g}\n",
                      fit.deviance, fit.aic);
  text += fmt::format("Optimizer: fisher-scoring, {} iterations: {}\n",
                      fit.summary.num_iterations(),
                      ToString(fit.summary.termination_type));
  out << text;
  if (!options.json_path.empty()) {
    nlohmann::json json;
    json["schema_version"] = 1;
    json["model"] = "multinomial";
    json["formula"] = formula;
    json["classes"] = fit.classes;
    json["columns"] = fit.column_names;
    json["coefficients"] = MatrixJson(fit.coefficients);
    json["std_errors"] = MatrixJson(fit.std_errors);
    json["deviance"] = fit.deviance;
    json["aic"] = fit.aic;
    json["log_likelihood"] = fit.log_likelihood;
    json["converged"] = fit.converged;
    if (!WriteText(options.json_path, JsonText(json), &error)) {
      return Fail(err, error);
    }
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

// True when --data names a .npy file (by its name: a CSV file may have any
// name, a .npy file is recognized by its extension and then checked).
bool IsNpyPath(const std::string& path) {
  if (path.size() < 4) return false;
  std::string extension = path.substr(path.size() - 4);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return extension == ".npy";
}

// The options a .npy fit does not take: it has no column names to choose
// from, and no missing values.
std::string OptionsNotForNpy(const FitOptions& options) {
  std::vector<std::string> given;
  if (!options.formula.empty()) given.push_back("--formula");
  if (!options.response.empty()) given.push_back("--response");
  if (!options.predictors.empty()) given.push_back("--predictors");
  if (!options.weights.empty()) given.push_back("--weights");
  if (!options.offset.empty()) given.push_back("--offset");
  if (!options.variables.empty()) given.push_back("--variables");
  if (options.drop_missing) given.push_back("--drop-missing");
  return JoinNames(given);
}

// --data X.npy --response-data y.npy: X and y mapped, copied once into the
// design (problems/npy_file.h), then the numeric GLM fit.
int FitNpyCommand(const FitOptions& options, GlmSpec glm, std::ostream& out,
                  std::ostream& err) {
  std::string error;
  NpyArray x;
  NpyArray y;
  if (!OpenNpy(options.data_path, &x, &error) ||
      !OpenNpy(options.response_data_path, &y, &error)) {
    return Fail(err, error);
  }
  Progress progress(options.quiet, &err);
  NpyDatasetSpec spec;
  spec.intercept = !options.no_intercept;
  spec.progress = [&](int64_t rows, int64_t total_rows) {
    if (!progress.Due(/*throttle=*/true)) return;
    const double megabytes = static_cast<double>(rows) *
                             static_cast<double>(x.cols() * x.item_bytes()) /
                             1e6;
    progress.Print(fmt::format("reading {}: {} of {} rows ({:.0f} MB/s)",
                               PrintableText(options.data_path), rows,
                               total_rows, megabytes / progress.Seconds()));
  };
  Dataset data;
  if (!DatasetFromNpy(x, y, spec, &data, &error)) return Fail(err, error);
  x = NpyArray();
  y = NpyArray();
  return FitGlmCommand(options, glm, CsvTable(), &data, out, err);
}

int RunFit(const FitOptions& options, std::ostream& out, std::ostream& err) {
  if (options.data_path.empty() == options.nist_path.empty()) {
    return Fail(err, "give exactly one of --data FILE.csv and --nist FILE.dat");
  }
  const Communicator* processes = ProcessGroup::Current();
  if (processes != nullptr && processes->size() > 1 &&
      (!options.nist_path.empty() || options.model == "multinomial" ||
       IsNpyPath(options.data_path))) {
    return UsageError(err,
                      "under mpirun, fit reads a CSV file with a GLM family; "
                      "--nist, --model multinomial and .npy files are fitted "
                      "in one process");
  }
  if (!options.nist_path.empty()) return FitNist(options, out, err);
  std::string error;
  GlmSpec glm;
  const bool npy = IsNpyPath(options.data_path);
  if (npy != !options.response_data_path.empty()) {
    return UsageError(err, npy ? "--data X.npy needs --response-data y.npy"
                               : "--response-data is for --data X.npy; a CSV "
                                 "file names its response with --response");
  }
  if (npy && !OptionsNotForNpy(options).empty()) {
    return UsageError(err, "--data X.npy takes no " +
                               OptionsNotForNpy(options) +
                               " (its columns are x0, x1, ...; its values "
                               "must be finite)");
  }
  if (npy && options.model == "multinomial") {
    return UsageError(err,
                      "--model multinomial reads a CSV file, not --data X.npy");
  }
  if (options.model == "multinomial") {
    return FitMultinomialCommand(options, out, err);
  }
  const bool is_glm = ApplyGlmFamilyName(options.model, &glm);
  const std::vector<std::string> sample_models = SampleModelNames();
  if (!is_glm && std::find(sample_models.begin(), sample_models.end(),
                           options.model) == sample_models.end()) {
    return UsageError(err,
                      "unknown --model '" + PrintableText(options.model) +
                          "'; known models: " + JoinNames(FitModelNames()));
  }
  OptimizerSpec spec;
  if (!FindOptimizer(options.optimizer, &spec, &error)) {
    return UsageError(err, error);
  }
  CovarianceSource source;
  RobustCovariance robust;
  if (!ParseCovariance(options.covariance, &source, &robust, &error)) {
    return UsageError(err, error);
  }
  if (!is_glm &&
      (robust != RobustCovariance::kNone || !options.cluster.empty())) {
    return UsageError(err, "--covariance " + options.covariance +
                               (options.cluster.empty() ? "" : " --cluster") +
                               " is for the GLM families, not --model " +
                               PrintableText(options.model));
  }
  if (is_glm) {
    glm.covariance = source;
    glm.robust = robust;
    glm.cluster_column = options.cluster;
    if (!options.link.empty()) {
      GlmLink link;
      if (!FromString(options.link, &link)) {
        return UsageError(err, "unknown --link '" +
                                   PrintableText(options.link) +
                                   "'; links: " + JoinNames(GlmLinkNames()));
      }
      glm.link = link;
    }
    if (!glm.IsValid(&error)) return UsageError(err, error);
  } else if (!options.link.empty() || !options.formula.empty()) {
    return UsageError(
        err, "--link and --formula are for GLMs, not --model " + options.model);
  }
  if (npy) {
    if (!is_glm || glm.distribution == GlmDistribution::kNegativeBinomial) {
      return UsageError(err, "--model " + options.model +
                                 " reads a CSV file, not --data X.npy");
    }
    return FitNpyCommand(options, glm, out, err);
  }
  CsvTable table;
  if (processes != nullptr && processes->size() > 1) {
    return FitAcrossProcesses(options, glm, is_glm, *processes, out, err);
  }
  if (!ReadDataCsv(options, err, &table, &error)) return Fail(err, error);
  return is_glm
             ? FitGlmCommand(options, glm, std::move(table), nullptr, out, err)
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
      command
          ->add_option("--data", fit.data_path,
                       "CSV file with a header row, or X.npy (NumPy, "
                       "float64/float32, with --response-data)")
          ->check(FileName())
          ->type_name("FILE");
  CLI::Option* response_data_option =
      command
          ->add_option("--response-data", fit.response_data_path,
                       "The response of --data X.npy: a .npy file of shape "
                       "(N,) or (N, 1)")
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
                   JoinNames(GlmFamilyNameList()) +
                       " (GLMs), multinomial (a text response) or " +
                       JoinNames(SampleModelNames()))
      ->capture_default_str();
  command->add_option("--link", fit.link,
                      "GLM link (R's names: " + JoinNames(GlmLinkNames()) +
                          "); default: the family's canonical link");
  command->add_option("--formula", fit.formula,
                      "R model formula, e.g. \"y ~ a * b + log(x) + "
                      "offset(log(t))\" (text columns are factors)");
  command->add_option("--response", fit.response,
                      "Response column (GLMs; with --predictors, the simple "
                      "form of a formula)");
  command
      ->add_option("--predictors", fit.predictors,
                   "Comma-separated predictor columns (default: every other "
                   "column, as R's y ~ .; text columns are factors)")
      ->delimiter(',');
  command->add_option("--weights", fit.weights,
                      "Prior weights column (R's glm(weights =))");
  command->add_option("--offset", fit.offset,
                      "Offset column (R's glm(offset =))");
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
                   "R), observed (inverse Hessian), sandwich (H^-1 F_emp "
                   "H^-1), or HC0, HC1, HC2, HC3 (as R's sandwich::vcovHC)")
      ->capture_default_str();
  command->add_option("--cluster", fit.cluster,
                      "Cluster-robust standard errors over the groups of this "
                      "column (R's sandwich::vcovCL; with --covariance HC0 "
                      "or HC1)");
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
  command->add_flag("-q,--quiet", fit.quiet,
                    "No progress lines on stderr (printed for reading and "
                    "iterations that run over 2 s)");

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kFit;
  registered.subcommand = command;
  registered.finish = [&fit, data_option, nist_option, response_data_option,
                       max_iterations_option, tolerance_option, nist_defaults](
                          const std::string& call, std::string* error) {
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
    if (response_data_option->count() > 0 && nist_option->count() > 0) {
      *error = "--response-data is for --data X.npy, not --nist";
      return false;
    }
    return CheckOutputFiles(
        {{"--data", fit.data_path},
         {"--response-data", fit.response_data_path},
         {"--nist", fit.nist_path}},
        {{"--json", fit.json_path}, {"--trace", fit.trace_path}}, error);
  };
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunFitCommand(parsed.fit, out, err);
  };
  return registered;
}

}  // namespace fisheropt
