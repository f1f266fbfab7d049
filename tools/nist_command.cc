#include "tools/nist_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/optimizer_registry.h"

namespace fisheropt {
namespace {

constexpr double kMaxLre = 11.0;    // Ceres' examples/nist.cc
constexpr double kSolvedLre = 4.0;  // four matching digits

std::string Difficulty(int index) {
  // NistModelNames() lists NIST's three levels in order: 8, 11, 8.
  if (index < 8) return "lower";
  if (index < 19) return "average";
  return "higher";
}

// Runs a benchmark optimizer by registry name (Ceres' trust-region methods
// included). False with a message listing the names.
bool RunNamedOptimizer(const std::string& name, const StoppingOptions& stopping,
                       const std::vector<IterationCallback*>& callbacks,
                       const NonlinearRegressionModel& model,
                       Eigen::VectorXd* theta, SolverSummary* summary,
                       std::string* error) {
  OptimizerSpec spec;
  if (!FindOptimizer(name, &spec, error)) return false;
  spec.solver.callbacks = callbacks;
  RunOptimizer(spec, stopping, model, theta, summary);
  return true;
}

// CreateNistModel, with the file's path before a refusal: "DIR/MGH09.dat:
// 3 observations but 4 parameters: ...".
std::unique_ptr<NonlinearRegressionModel> CreateNistModelFromFile(
    const NistDataset& data, const std::string& path, std::string* error) {
  std::string message;
  std::unique_ptr<NonlinearRegressionModel> model =
      CreateNistModel(data, &message);
  if (model == nullptr && error != nullptr) *error = path + ": " + message;
  return model;
}

}  // namespace

const std::vector<std::string>& NistDefaultOptimizers() {
  static const std::vector<std::string> names = {"fisher-scoring", "fisher-lm",
                                                 "natural-gradient-kl",
                                                 "ceres-lm", "ceres-dogleg"};
  return names;
}

double LogRelativeError(double estimate, double certified) {
  const double lre =
      -std::log10(std::abs(estimate - certified) / std::abs(certified));
  if (std::isnan(lre)) return 0.0;
  return std::min(kMaxLre, std::max(0.0, lre));
}

bool RunNistBenchmark(const NistBenchmarkOptions& options,
                      NistBenchmarkResult* result, std::string* error) {
  *result = NistBenchmarkResult();
  result->optimizers =
      options.optimizers.empty() ? NistDefaultOptimizers() : options.optimizers;
  // Validate every optimizer name before running anything.
  for (const std::string& name : result->optimizers) {
    OptimizerSpec spec;
    if (!FindOptimizer(name, &spec, error)) return false;
  }
  std::string stopping_error;
  if (!options.stopping.IsValid(&stopping_error)) {
    if (error != nullptr) *error = stopping_error;
    return false;
  }
  const std::vector<std::string>& all = NistModelNames();
  const std::vector<std::string> problems =
      options.problems.empty() ? all : options.problems;

  for (const std::string& name : problems) {
    const auto found = std::find(all.begin(), all.end(), name);
    if (found == all.end()) {
      std::string message;
      CreateNistRegressionFunction(name, &message);
      if (error != nullptr) *error = message;
      return false;
    }
    NistDataset data;
    const std::string path = options.directory + "/" + name + ".dat";
    if (!ReadNistDataset(path, &data, error)) return false;
    // A file the model refuses (fewer observations than parameters, an
    // unknown model) fails the whole benchmark, as a malformed file does:
    // no run, so no CONVERGENCE, is reported for it.
    std::unique_ptr<NonlinearRegressionModel> model =
        CreateNistModelFromFile(data, path, error);
    if (model == nullptr) return false;
    NistProblemInfo info;
    info.name = name;
    info.difficulty = Difficulty(static_cast<int>(found - all.begin()));
    info.num_parameters = data.num_parameters;
    info.num_observations = data.NumObservations();
    info.certified_rss = data.certified_residual_sum_of_squares;
    result->problems.push_back(info);

    for (int start = 1; start <= 2; ++start) {
      for (size_t k = 0; k < result->optimizers.size(); ++k) {
        NistRun run;
        run.problem = name;
        run.start = start;
        run.optimizer = result->optimizers[k];
        Eigen::VectorXd theta = data.starts[start - 1];
        if (!RunNamedOptimizer(run.optimizer, options.stopping, {}, *model,
                               &theta, &run.summary, error)) {
          return false;
        }
        run.estimate = theta;
        run.lre.resize(theta.size());
        for (Eigen::Index j = 0; j < theta.size(); ++j) {
          run.lre[j] = LogRelativeError(theta[j], data.certified_values[j]);
        }
        run.min_lre = run.lre.minCoeff();
        run.solved = run.min_lre >= kSolvedLre;
        if (!model->ResidualSumOfSquares(theta, &run.rss)) {
          run.rss = std::numeric_limits<double>::quiet_NaN();
        }
        result->runs.push_back(run);
      }
    }
  }

  for (const std::string& optimizer : result->optimizers) {
    NistOptimizerTotals totals;
    totals.optimizer = optimizer;
    double sum = 0.0;
    for (const NistRun& run : result->runs) {
      if (run.optimizer != optimizer) continue;
      ++totals.runs;
      totals.solved += run.solved ? 1 : 0;
      sum += run.min_lre;
      totals.total_time_in_seconds +=
          std::max(0.0, run.summary.total_time_in_seconds);
    }
    totals.mean_min_lre = totals.runs > 0 ? sum / totals.runs : 0.0;
    result->totals.push_back(totals);
  }
  return true;
}

std::string FormatNistTotals(const NistBenchmarkResult& result) {
  std::string out = fmt::format("  {:<20} {:>10} {:>13} {:>10}\n", "optimizer",
                                "solved", "mean min-LRE", "time(ms)");
  for (const NistOptimizerTotals& totals : result.totals) {
    out += fmt::format("  {:<20} {:>4} of {:<3} {:>13.2f} {:>10.1f}\n",
                       totals.optimizer, totals.solved, totals.runs,
                       totals.mean_min_lre, 1e3 * totals.total_time_in_seconds);
  }
  return out;
}

std::string FormatNistBenchmark(const NistBenchmarkResult& result) {
  std::string out;
  for (const NistProblemInfo& problem : result.problems) {
    out += fmt::format(
        "Problem {} ({} difficulty): {} parameters, {} observations, "
        "certified RSS {:.10e}\n",
        problem.name, problem.difficulty, problem.num_parameters,
        problem.num_observations, problem.certified_rss);
    out += fmt::format("  {:>5}  {:<20} {:>5}  {:<15} {:>17} {:>7}  {}\n",
                       "start", "optimizer", "iter", "termination", "RSS",
                       "min LRE", "LRE b1..bp, solved (min LRE >= 4)");
    for (const NistRun& run : result.runs) {
      if (run.problem != problem.name) continue;
      std::string lres;
      for (Eigen::Index j = 0; j < run.lre.size(); ++j) {
        lres += fmt::format("{:5.1f}", run.lre[j]);
      }
      out += fmt::format(
          "  {:>5}  {:<20} {:>5}  {:<15} {:>17.10e} {:>7.1f} {} {}\n",
          run.start, run.optimizer, run.summary.num_iterations(),
          ToString(run.summary.termination_type), run.rss, run.min_lre, lres,
          run.solved ? "solved" : "-");
    }
    out += "\n";
  }
  int runs_per_optimizer = result.totals.empty() ? 0 : result.totals[0].runs;
  out += fmt::format(
      "Totals over {} problems x 2 starts = {} runs per optimizer (solved: "
      "every parameter to >= 4 significant digits of NIST's certified "
      "value)\n",
      result.problems.size(), runs_per_optimizer);
  out += FormatNistTotals(result);
  return out;
}

bool NistFitOptions::IsValid(std::string* error) const {
  if (start != 1 && start != 2) {
    if (error != nullptr) {
      *error = "NistFitOptions::start = " + std::to_string(start) +
               " must be 1 or 2";
    }
    return false;
  }
  return stopping.IsValid(error);
}

bool RunNistFit(const NistFitOptions& options, NistFitResult* result,
                std::string* error) {
  *result = NistFitResult();
  if (!options.IsValid(error)) return false;
  NistDataset data;
  if (!ReadNistDataset(options.file, &data, error)) return false;
  std::unique_ptr<NonlinearRegressionModel> model =
      CreateNistModelFromFile(data, options.file, error);
  if (model == nullptr) return false;
  Eigen::VectorXd theta = data.starts[options.start - 1];
  if (!RunNamedOptimizer(options.optimizer, options.stopping, options.callbacks,
                         *model, &theta, &result->summary, error)) {
    return false;
  }
  result->problem = data.name;
  result->optimizer = options.optimizer;
  result->start = options.start;
  result->names = model->ParameterNames();
  result->estimate = theta;
  result->certified_values = data.certified_values;
  result->certified_standard_deviations = data.certified_standard_deviations;
  result->certified_rss = data.certified_residual_sum_of_squares;
  result->converged =
      result->summary.termination_type == TerminationType::kConvergence ||
      result->summary.termination_type == TerminationType::kUserSuccess;
  result->iterations = result->summary.num_iterations();
  const int p = model->NumParameters();
  const int n = model->NumSamples();
  result->lre.resize(p);
  for (int j = 0; j < p; ++j) {
    result->lre[j] = LogRelativeError(theta[j], data.certified_values[j]);
  }
  result->std_error =
      Eigen::VectorXd::Constant(p, std::numeric_limits<double>::quiet_NaN());
  Eigen::VectorXd residuals;
  Eigen::MatrixXd jacobian;
  if (!model->Residuals(theta, &residuals, &jacobian)) {
    result->rss = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  result->rss = residuals.squaredNorm();
  // Standard errors need n − p > 0 residual degrees of freedom, and R (the
  // top p rows of the n × p QR) exists only for n ≥ p.
  if (n <= p) return true;
  // JᵀJ = RᵀR (QR of J), so diag((JᵀJ)⁻¹)_j = ‖row j of R⁻¹‖².
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(jacobian);
  const Eigen::MatrixXd r =
      qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  if ((r.diagonal().array().abs() > 1e-14 * r.diagonal().cwiseAbs().maxCoeff())
          .all()) {
    const Eigen::MatrixXd r_inverse =
        r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
    const double sigma2 = result->rss / (n - p);
    result->std_error =
        (r_inverse.rowwise().squaredNorm() * sigma2).cwiseSqrt();
  }
  return true;
}

std::string NistFitToJson(const NistFitResult& result) {
  nlohmann::json json;
  json["problem"] = result.problem;
  json["start"] = result.start;
  json["optimizer"] = result.optimizer;
  nlohmann::json coefficients = nlohmann::json::array();
  for (size_t j = 0; j < result.names.size(); ++j) {
    nlohmann::json coefficient;
    coefficient["name"] = result.names[j];
    coefficient["estimate"] = result.estimate[j];
    coefficient["std_error"] = result.std_error[j];  // NaN → null
    coefficients.push_back(coefficient);
  }
  json["coefficients"] = coefficients;
  json["rss"] = result.rss;
  json["converged"] = result.converged;
  json["iterations"] = result.iterations;
  json["termination"] = ToString(result.summary.termination_type);
  // Replace bytes that are not UTF-8 (dump would throw; fit_command.cc).
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string FormatNistFit(const NistFitResult& result) {
  std::string out = fmt::format("NIST {} from start {} with {}\n",
                                result.problem, result.start, result.optimizer);
  out += fmt::format("  {:<5} {:>22} {:>14} {:>22} {:>14} {:>5}\n", "",
                     "Estimate", "Std. Error", "Certified", "Cert. SD", "LRE");
  for (size_t j = 0; j < result.names.size(); ++j) {
    out += fmt::format(
        "  {:<5} {:>22.15e} {:>14.8e} {:>22.10e} {:>14.8e} {:>5.1f}\n",
        result.names[j], result.estimate[j], result.std_error[j],
        result.certified_values[j], result.certified_standard_deviations[j],
        result.lre[j]);
  }
  out += fmt::format("Residual sum of squares {:.12e} (certified {:.10e})\n",
                     result.rss, result.certified_rss);
  out += fmt::format("{} after {} iterations: {}\n",
                     ToString(result.summary.termination_type),
                     result.iterations, result.summary.message);
  return out;
}

RegisteredCommand RegisterNistCommand(CLI::App* app,
                                      CommandLine* command_line) {
  NistBenchmarkOptions& nist = command_line->nist;
  CLI::App* command = app->add_subcommand(
      "nist",
      "NIST StRD nonlinear regression: 27 problems x 2 starts, log relative "
      "error against the certified values, per optimizer");
  command
      ->add_option("--dir", nist.directory, "Directory of the NIST .dat files")
      ->check(FileName())
      ->type_name("DIR")
      ->required();
  command
      ->add_option("--optimizers", nist.optimizers,
                   "Comma-separated optimizers (default: " +
                       JoinNames(NistDefaultOptimizers()) + ")")
      ->delimiter(',');
  command
      ->add_option("--problems", nist.problems,
                   "Comma-separated NIST problem names (default: all 27)")
      ->delimiter(',');

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kNist;
  registered.subcommand = command;
  // An unknown optimizer is a usage error (exit 2), found before any run.
  registered.finish = [&nist](const std::string&, std::string* error) {
    OptimizerSpec spec;
    for (const std::string& name : nist.optimizers) {
      if (!FindOptimizer(name, &spec, error)) return false;
    }
    return true;
  };
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    NistBenchmarkResult result;
    std::string error;
    if (!RunNistBenchmark(parsed.nist, &result, &error)) {
      err << "fisheropt nist: " << error << "\n";
      return 1;
    }
    out << FormatNistBenchmark(result);
    return 0;
  };
  return registered;
}

}  // namespace fisheropt
