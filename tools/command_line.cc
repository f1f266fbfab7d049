#include "tools/command_line.h"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "problems/problem_catalog.h"
#include "tools/optimizer_registry.h"

namespace fisheropt {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    joined += (joined.empty() ? "" : ", ") + item;
  }
  return joined;
}

int RunCompareCommand(const CompareOptions& options,
                      const CompareOutputOptions& output, std::ostream& out,
                      std::ostream& err) {
  ComparisonResult result;
  std::string error;
  if (!RunComparison(options, &result, &error)) {
    err << "fisheropt compare: " << error << "\n";
    return 1;
  }
  out << FormatComparison(result);
  if (!output.directory.empty()) {
    CompareOutputReport report;
    if (!WriteComparisonOutputs(result, output, &report, &error)) {
      err << "fisheropt compare: " << error << "\n";
      return 1;
    }
    out << "Wrote " << report.files.size() << " files to " << output.directory
        << " (see " << output.directory << "/index.md)\n";
    if (!report.plots_written) {
      out << "Plots skipped: " << report.note << "\n";
    }
  }
  return 0;
}

int RunCheckCommand(const CheckOptions& options, std::ostream& out,
                    std::ostream& err) {
  CheckResult result;
  std::string error;
  if (!RunCheck(options, &result, &error)) {
    err << "fisheropt check: " << error << "\n";
    return 2;
  }
  out << result.text;
  return result.all_pass ? 0 : 1;
}

}  // namespace

int ParseCommandLine(int argc, const char* const* argv,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err) {
  *command_line = CommandLine();
  CompareOptions& compare = command_line->compare;
  CompareOutputOptions& compare_output = command_line->compare_output;
  CheckOptions& check = command_line->check;
  FitOptions& fit = command_line->fit;
  NistBenchmarkOptions& nist = command_line->nist;
  CLI::App app{"fisheropt: second-order optimization with Fisher information"};
  app.require_subcommand(1);

  CLI::App* compare_command = app.add_subcommand(
      "compare",
      "Run every optimizer on the built-in problems from the same start and "
      "print a comparison table");
  compare_command
      ->add_option("--problem", compare.problems,
                   "Built-in problem(s) to run (default: all): " +
                       Join(CatalogProblemNames()))
      ->take_all();
  compare_command
      ->add_option("--optimizers", compare.optimizers,
                   "Comma-separated optimizers (default: all): " +
                       Join(BuiltinOptimizerNames()))
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
  compare_command->add_option(
      "--out", compare_output.directory,
      "Directory for per-iteration CSV traces, convergence plots (gnuplot: "
      "PNG and SVG) and index.md");

  CLI::App* check_command = app.add_subcommand(
      "check",
      "Check the Fisher-information identities on a built-in model at its "
      "MLE and at a perturbed point; exit 0 iff every check passes");
  check_command
      ->add_option("--model", check.model, "Model: " + Join(CheckModelNames()))
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
                   "One of: " + Join(BuiltinOptimizerNames()))
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
                       Join(NistDefaultOptimizers()) + ")")
      ->delimiter(',');
  nist_command
      ->add_option("--problems", nist.problems,
                   "Comma-separated NIST problem names (default: all 27)")
      ->delimiter(',');

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err);
  }
  if (nist_command->parsed()) {
    command_line->command = CommandLine::Command::kNist;
  } else if (fit_command->parsed()) {
    command_line->command = CommandLine::Command::kFit;
    fit.call = "fisheropt";
    for (int i = 1; i < argc; ++i) fit.call += std::string(" ") + argv[i];
  } else if (compare_command->parsed()) {
    command_line->command = CommandLine::Command::kCompare;
  } else if (check_command->parsed()) {
    command_line->command = CommandLine::Command::kCheck;
  } else {
    return 1;
  }
  return -1;
}

int RunCommandLine(const CommandLine& command_line, std::ostream& out,
                   std::ostream& err) {
  switch (command_line.command) {
    case CommandLine::Command::kNist: {
      NistBenchmarkResult result;
      std::string error;
      if (!RunNistBenchmark(command_line.nist, &result, &error)) {
        err << "fisheropt nist: " << error << "\n";
        return 1;
      }
      out << FormatNistBenchmark(result);
      return 0;
    }
    case CommandLine::Command::kFit:
      return RunFit(command_line.fit, out, err);
    case CommandLine::Command::kCompare:
      return RunCompareCommand(command_line.compare,
                               command_line.compare_output, out, err);
    case CommandLine::Command::kCheck:
      return RunCheckCommand(command_line.check, out, err);
    case CommandLine::Command::kNone:
      break;
  }
  return 1;
}

}  // namespace fisheropt
