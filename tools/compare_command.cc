// `fisheropt compare`: its options, the checks of --out and --data before
// any work, and the run (tools/compare.h does the comparison).

#include <CLI/CLI.hpp>
#include <climits>
#include <filesystem>
#include <system_error>

#include "problems/problem_catalog.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/compare.h"
#include "tools/optimizer_registry.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

// `compare --out DIR`: DIR is a folder or a new name (created at the end),
// and `--data F` is not a file the run writes.
bool CheckCompareFiles(const CompareOptions& compare,
                       const CompareOutputOptions& output, std::string* error) {
  if (output.directory.empty()) return true;
  std::error_code code;
  if (std::filesystem::exists(output.directory, code) &&
      !std::filesystem::is_directory(output.directory, code)) {
    *error = "--out '" + output.directory + "' is a file, not a folder";
    return false;
  }
  if (compare.data_path.empty()) return true;
  for (const std::string& name : ComparisonOutputFileNames("data")) {
    const std::string path =
        (std::filesystem::path(output.directory) / name).string();
    if (IsSameFile(compare.data_path, path)) {
      *error = "--data '" + compare.data_path + "' is the same file as '" +
               path + "', which --out writes; refusing to overwrite an input";
      return false;
    }
  }
  return true;
}

// The files are written before the table is printed, so that a failed
// write gives exit status 1 with one line on stderr and nothing on stdout.
int RunCompareCommand(const CompareOptions& options,
                      const CompareOutputOptions& output, std::ostream& out,
                      std::ostream& err) {
  ComparisonResult result;
  std::string error;
  if (!RunComparison(options, &result, &error)) {
    err << "fisheropt compare: " << error << "\n";
    return 1;
  }
  CompareOutputReport report;
  if (!output.directory.empty() &&
      !WriteComparisonOutputs(result, output, &report, &error)) {
    err << "fisheropt compare: " << error << "\n";
    return 1;
  }
  out << FormatComparison(result);
  if (!output.directory.empty()) {
    out << "Wrote " << report.files.size() << " files to " << output.directory
        << " (see " << output.directory << "/index.md)\n";
    if (!report.plots_written) {
      out << "Plots skipped: " << report.note << "\n";
    }
  }
  return 0;
}

}  // namespace

RegisteredCommand RegisterCompareCommand(CLI::App* app,
                                         CommandLine* command_line) {
  CompareOptions& compare = command_line->compare;
  CompareOutputOptions& compare_output = command_line->compare_output;
  CLI::App* command = app->add_subcommand(
      "compare",
      "Run every optimizer on the built-in problems from the same start and "
      "print a comparison table");
  command
      ->add_option("--problem", compare.problems,
                   "Built-in problem(s) to run (default: all): " +
                       JoinNames(CatalogProblemNames()))
      ->take_all();
  command
      ->add_option("--optimizers", compare.optimizers,
                   "Comma-separated optimizers (default: all): " +
                       JoinNames(BuiltinOptimizerNames()))
      ->delimiter(',');
  command
      ->add_option("--max-iterations", compare.stopping.max_iterations,
                   "Iteration limit per solve (>= 1)")
      ->transform(WholeNumber(1, INT_MAX))
      ->capture_default_str();
  command
      ->add_option("--function-tolerance", compare.stopping.function_tolerance,
                   "Stop when |ΔL| <= tol·|L|")
      ->capture_default_str();
  command
      ->add_option("--gradient-tolerance", compare.stopping.gradient_tolerance,
                   "Stop when max|∇L| <= tol")
      ->capture_default_str();
  command
      ->add_option("--nist-dir", compare.catalog.nist_directory,
                   "Folder of the NIST StRD .dat files: enables the problems "
                   "nist-<Name> "
                   "and adds nist-Misra1a to the default run")
      ->check(FileName())
      ->type_name("DIR");
  command
      ->add_option("--data", compare.data_path,
                   "Compare on a CSV file instead of the built-in problems "
                   "(with --model "
                   "and --response)")
      ->check(FileName())
      ->type_name("FILE");
  command->add_option("--model", compare.data_model, "GLM family for --data")
      ->capture_default_str();
  command->add_option("--response", compare.data_response,
                      "Response column for --data");
  command
      ->add_option("--seed", compare.catalog.seed, "Seed of the synthetic data")
      ->capture_default_str();
  command
      ->add_option("--out", compare_output.directory,
                   "Directory for per-iteration CSV traces, convergence plots "
                   "(gnuplot: PNG and SVG) and index.md")
      ->check(FileName())
      ->type_name("DIR");

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kCompare;
  registered.subcommand = command;
  registered.finish = [&compare, &compare_output](const std::string&,
                                                  std::string* error) {
    // An unknown optimizer is a usage error (exit 2), found before any run.
    OptimizerSpec spec;
    for (const std::string& name : compare.optimizers) {
      if (!FindOptimizer(name, &spec, error)) return false;
    }
    return CheckCompareFiles(compare, compare_output, error);
  };
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunCompareCommand(parsed.compare, parsed.compare_output, out, err);
  };
  return registered;
}

}  // namespace fisheropt
