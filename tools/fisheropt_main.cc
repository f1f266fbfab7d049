// fisheropt: the command-line tool.
//
//   fisheropt compare [--problem NAME ...] [--optimizers a,b,...]
//       Every optimizer on the built-in problems from the same start; prints
//       one table per problem. --out DIR also writes per-iteration CSV
//       traces, gnuplot convergence plots (PNG, SVG) and DIR/index.md.
//
//   fisheropt fit --data FILE.csv --model NAME --response COL [...]
//       Fits a GLM (or the multivariate normal) to a CSV file; R-style
//       summary on stdout, --json for machines. See tools/fit_command.h.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "problems/problem_catalog.h"
#include "tools/check_command.h"
#include "tools/compare.h"
#include "tools/fit_command.h"
#include "tools/nist_command.h"
#include "tools/optimizer_registry.h"

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    joined += (joined.empty() ? "" : ", ") + item;
  }
  return joined;
}

int RunCompareCommand(const fisheropt::CompareOptions& options,
                      const fisheropt::CompareOutputOptions& output) {
  fisheropt::ComparisonResult result;
  std::string error;
  if (!fisheropt::RunComparison(options, &result, &error)) {
    std::cerr << "fisheropt compare: " << error << "\n";
    return 1;
  }
  std::cout << fisheropt::FormatComparison(result);
  if (!output.directory.empty()) {
    fisheropt::CompareOutputReport report;
    if (!fisheropt::WriteComparisonOutputs(result, output, &report, &error)) {
      std::cerr << "fisheropt compare: " << error << "\n";
      return 1;
    }
    std::cout << "Wrote " << report.files.size() << " files to "
              << output.directory << " (see " << output.directory
              << "/index.md)\n";
    if (!report.plots_written) {
      std::cout << "Plots skipped: " << report.note << "\n";
    }
  }
  return 0;
}

int RunCheckCommand(const fisheropt::CheckOptions& options) {
  fisheropt::CheckResult result;
  std::string error;
  if (!fisheropt::RunCheck(options, &result, &error)) {
    std::cerr << "fisheropt check: " << error << "\n";
    return 2;
  }
  std::cout << result.text;
  return result.all_pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fisheropt: second-order optimization with Fisher information"};
  app.require_subcommand(1);

  fisheropt::CompareOptions compare;
  CLI::App* compare_command = app.add_subcommand(
      "compare",
      "Run every optimizer on the built-in problems from the same start and "
      "print a comparison table");
  compare_command
      ->add_option("--problem", compare.problems,
                   "Built-in problem(s) to run (default: all): " +
                       Join(fisheropt::CatalogProblemNames()))
      ->take_all();
  compare_command
      ->add_option("--optimizers", compare.optimizers,
                   "Comma-separated optimizers (default: all): " +
                       Join(fisheropt::BuiltinOptimizerNames()))
      ->delimiter(',');
  compare_command
      ->add_option("--max-iterations", compare.stopping.max_iterations,
                   "Iteration limit per solve")
      ->capture_default_str();
  compare_command
      ->add_option("--function-tolerance", compare.stopping.function_tolerance,
                   "Stop when |ΔL| <= tol·|L|")
      ->capture_default_str();
  compare_command
      ->add_option("--gradient-tolerance", compare.stopping.gradient_tolerance,
                   "Stop when max|∇L| <= tol")
      ->capture_default_str();
  compare_command->add_option(
      "--nist-dir", compare.catalog.nist_directory,
      "Folder of the NIST StRD .dat files: enables the problems nist-<Name> "
      "and adds nist-Misra1a to the default run");
  compare_command->add_option(
      "--data", compare.data_path,
      "Compare on a CSV file instead of the built-in problems (with --model "
      "and --response)");
  compare_command
      ->add_option("--model", compare.data_model, "GLM family for --data")
      ->capture_default_str();
  compare_command->add_option("--response", compare.data_response,
                              "Response column for --data");
  compare_command
      ->add_option("--seed", compare.catalog.seed, "Seed of the synthetic data")
      ->capture_default_str();
  fisheropt::CompareOutputOptions compare_output;
  compare_command->add_option(
      "--out", compare_output.directory,
      "Directory for per-iteration CSV traces, convergence plots (gnuplot: "
      "PNG and SVG) and index.md");

  fisheropt::CheckOptions check;
  CLI::App* check_command = app.add_subcommand(
      "check",
      "Check the Fisher-information identities on a built-in model at its "
      "MLE and at a perturbed point; exit 0 iff every check passes");
  check_command
      ->add_option("--model", check.model,
                   "Model: " + Join(fisheropt::CheckModelNames()))
      ->capture_default_str();
  check_command
      ->add_option("--samples", check.samples,
                   "Samples N of the synthetic data set")
      ->capture_default_str();
  check_command
      ->add_option("--draws", check.draws,
                   "Data sets M drawn from the model (Monte Carlo)")
      ->capture_default_str();
  check_command
      ->add_option("--seed", check.seed, "Seed of the data and of the draws")
      ->capture_default_str();
  check_command
      ->add_option("--perturbation", check.perturbation,
                   "Distance of the perturbed point per parameter")
      ->capture_default_str();

  fisheropt::FitOptions fit;
  CLI::App* fit_command = app.add_subcommand(
      "fit", "Fit a statistical model to a CSV file (R-style summary)");
  fit_command->add_option("--data", fit.data_path,
                          "CSV file with a header row");
  fit_command->add_option("--nist", fit.nist_path,
                          "A NIST StRD nonlinear-regression .dat file");
  fit_command
      ->add_option("--start", fit.nist_start,
                   "NIST starting values: 1 (far) or 2 (near)")
      ->capture_default_str();
  fit_command
      ->add_option("--model", fit.model,
                   "logistic, probit, cloglog, poisson, gaussian (GLMs) or mvn")
      ->capture_default_str();
  fit_command->add_option("--response", fit.response, "Response column (GLMs)");
  fit_command
      ->add_option("--predictors", fit.predictors,
                   "Comma-separated predictor columns (default: every other "
                   "numeric column)")
      ->delimiter(',');
  fit_command->add_flag("--no-intercept", fit.no_intercept,
                        "No (Intercept) column");
  fit_command
      ->add_option("--variables", fit.variables,
                   "Comma-separated columns for mvn (default: all numeric)")
      ->delimiter(',');
  fit_command->add_flag("--drop-missing", fit.drop_missing,
                        "Drop rows with a missing (empty or NA) used cell");
  fit_command
      ->add_option("--optimizer", fit.optimizer,
                   "One of: " + Join(fisheropt::BuiltinOptimizerNames()))
      ->capture_default_str();
  fit_command
      ->add_option("--covariance", fit.covariance,
                   "Standard errors from: fisher (inverse expected Fisher, as "
                   "R), observed (inverse Hessian) or sandwich (HC0)")
      ->capture_default_str();
  fit_command
      ->add_option("--max-iterations", fit.max_iterations, "Iteration limit")
      ->capture_default_str();
  fit_command
      ->add_option("--tolerance", fit.tolerance, "Relative function tolerance")
      ->capture_default_str();
  fit_command->add_option("--json", fit.json_path, "Write the fit as JSON");
  fit_command->add_option("--trace", fit.trace_path,
                          "Write the per-iteration trace as CSV");
  fit_command->add_flag("-v,--verbose", fit.verbose,
                        "Iteration table on stderr");

  // nist: the NIST StRD nonlinear-regression benchmark (tools/nist_command.h).
  fisheropt::NistBenchmarkOptions nist;
  CLI::App* nist_command = app.add_subcommand(
      "nist",
      "NIST StRD nonlinear regression: 27 problems x 2 starts, log relative "
      "error against the certified values, per optimizer");
  nist_command
      ->add_option("--dir", nist.directory, "Directory of the NIST .dat files")
      ->required();
  nist_command
      ->add_option("--optimizers", nist.optimizers,
                   "Comma-separated optimizers (default: " +
                       Join(fisheropt::NistDefaultOptimizers()) + ")")
      ->delimiter(',');
  nist_command
      ->add_option("--problems", nist.problems,
                   "Comma-separated NIST problem names (default: all 27)")
      ->delimiter(',');

  CLI11_PARSE(app, argc, argv);
  if (nist_command->parsed()) {
    fisheropt::NistBenchmarkResult result;
    std::string error;
    if (!fisheropt::RunNistBenchmark(nist, &result, &error)) {
      std::cerr << "fisheropt nist: " << error << "\n";
      return 1;
    }
    std::cout << fisheropt::FormatNistBenchmark(result);
    return 0;
  }
  if (fit_command->parsed()) {
    fit.call = "fisheropt";
    for (int i = 1; i < argc; ++i) fit.call += std::string(" ") + argv[i];
    return fisheropt::RunFit(fit, std::cout, std::cerr);
  }
  if (compare_command->parsed()) {
    return RunCompareCommand(compare, compare_output);
  }
  if (check_command->parsed()) return RunCheckCommand(check);
  return 1;
}
