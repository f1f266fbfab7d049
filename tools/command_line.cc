#include "tools/command_line.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "problems/problem_catalog.h"
#include "tools/optimizer_registry.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    joined += (joined.empty() ? "" : ", ") + item;
  }
  return joined;
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

// Exit status of a usage error: a command line that cannot be run as
// written (README: 0 a fit, 1 bad input or a failure, 2 a usage error).
constexpr int kUsageError = 2;

// The loosest --tolerance that gives no warning.
constexpr double kLooseTolerance = 1e-6;

// Text from the command line in a one-line message: control characters
// (a newline inside an argument) are escaped.
std::string OneLine(const std::string& text) {
  std::string line;
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      line += escaped;
    } else {
      line += c;
    }
  }
  return line;
}

// Validators. CLI11 runs them on the argument's text before converting it,
// and a failure becomes a CLI::ValidationError "<option>: <message>", shown
// as "<option> <message>" (UsageMessage), so each message starts with a
// verb.

// A whole number in [min, max], in decimal. The text is rewritten in
// canonical form, so that CLI11's conversion (which reads "010" as octal)
// sees the number the user meant.
CLI::Validator WholeNumber(long long min, long long max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        const std::string message =
            "must be a whole number from " + std::to_string(min) + " to " +
            std::to_string(max) + ", not '" + text + "'";
        if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
          return message;
        errno = 0;
        char* end = nullptr;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (*end != '\0' || errno == ERANGE || value < min || value > max) {
          return message;
        }
        text = std::to_string(value);
        return "";
      },
      "", "WholeNumber");
}

// The relative function tolerance of a fit: the solver stops when an
// iteration changes the negative log-likelihood L by at most tol·|L|
// (Ceres' definition). tol ≥ 1 stops after the first step whatever it
// did; tol ≤ 0 or NaN never stops on this rule (and the solver refuses it).
CLI::Validator RelativeTolerance() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) ||
            *end != '\0' || !std::isfinite(value) || value <= 0.0 ||
            value >= 1.0) {
          return "must be a number > 0 and < 1, not '" + text +
                 "' (the fit stops when an iteration changes the negative "
                 "log-likelihood by at most this fraction of it; default "
                 "1e-12)";
        }
        return "";
      },
      "", "RelativeTolerance");
}

// A file or folder name: not empty (`--json ""` would otherwise mean "no
// JSON" without a word).
CLI::Validator FileName() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "needs a file name" : "";
      },
      "", "FileName");
}

// The option given more times than it takes values (CLI11's
// ArgumentMismatch under MultiOptionPolicy::Throw), if any.
const CLI::Option* RepeatedOption(const CLI::App& app) {
  for (const CLI::App* command : app.get_subcommands()) {
    if (const CLI::Option* option = RepeatedOption(*command)) return option;
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_multi_option_policy() == CLI::MultiOptionPolicy::Throw &&
        option->get_items_expected_max() >= 1 &&
        option->count() >
            static_cast<size_t>(option->get_items_expected_max())) {
      return option;
    }
  }
  return nullptr;
}

// The one-line message of a usage error (app.failure_message): the command
// ("fisheropt fit: "), then what is wrong, naming the option.
std::string UsageMessage(const CLI::App& app, const CLI::Error& error,
                         const std::string& command_list) {
  const std::vector<CLI::App*> commands = app.get_subcommands();
  std::string prefix = "fisheropt";
  if (!commands.empty()) prefix += " " + commands.front()->get_name();
  const std::vector<std::string> remaining = app.remaining(true);
  const std::string first = remaining.empty() ? "" : remaining.front();
  std::string text = error.what();
  // By type, not get_name(): CLI11 names an ExtrasError after the app.
  const std::vector<std::string> top_level = app.remaining(false);
  if (!top_level.empty() && !top_level.front().empty() &&
      top_level.front()[0] != '-') {
    prefix = "fisheropt";  // "fisheropt banana fit ...": banana is the error
    text = "unknown command '" + top_level.front() +
           "'; commands: " + command_list;
  } else if (commands.empty() &&
             dynamic_cast<const CLI::RequiredError*>(&error)) {
    if (first.empty()) {
      text = "no command given; commands: " + command_list +
             " (fisheropt --help describes them)";
    } else if (first[0] == '-') {
      text = "unknown option '" + first + "'; commands: " + command_list;
    } else {
      text = "unknown command '" + first + "'; commands: " + command_list;
    }
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error) && !first.empty()) {
    text = (first[0] == '-' ? "unknown option '" : "unexpected argument '") +
           first + "'; see '" + prefix + " --help'";
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
    // A repeated option, or an option at the end without its value
    // (CLI11: "--data: 1 required TEXT missing").
    if (const CLI::Option* option = RepeatedOption(app)) {
      text = option->get_name() + " is given " +
             std::to_string(option->count()) + " times; give it once";
    } else if (text.size() > 8 &&
               text.compare(text.size() - 8, 8, " missing") == 0 &&
               text.find(": ") != std::string::npos) {
      text = text.substr(0, text.find(": ")) + " needs a value";
    }
  } else if (dynamic_cast<const CLI::ValidationError*>(&error)) {
    const size_t colon = text.find(": ");
    if (colon != std::string::npos) text.erase(colon, 1);
  } else if (dynamic_cast<const CLI::ConversionError*>(&error)) {
    // The numeric options without a validator of their own (--start,
    // --seed, --samples, ...). CLI11: "Could not convert: --seed = abc".
    const std::string lead = "Could not convert: ";
    const size_t equals = text.find(" = ");
    if (text.rfind(lead, 0) == 0 && equals != std::string::npos) {
      const std::string name = text.substr(lead.size(), equals - lead.size());
      const CLI::App* command = commands.empty() ? &app : commands.front();
      const CLI::Option* option = command->get_option_no_throw(name);
      const std::string type = option ? option->get_type_name() : "";
      const std::string kind = type == "INT" || type == "UINT"
                                   ? "a whole number"
                               : type == "FLOAT" ? "a number"
                                                 : "a valid value";
      text = name + " must be " + kind + " in range, not '" +
             text.substr(equals + 3) + "'";
    }
  }
  return prefix + ": " + OneLine(text) + "\n";
}

// A usage error found after parsing: one line, exit status 2.
int UsageError(std::ostream& err, const std::string& command,
               const std::string& message) {
  err << "fisheropt " << command << ": " << OneLine(message) << "\n";
  return kUsageError;
}

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
  // A single-valued option given twice is an error, not "the last one
  // wins" (set before the subcommands, which inherit it).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::Throw);
  const std::string command_list = "compare, check, fit, nist";
  app.failure_message(
      [command_list](const CLI::App* failed, const CLI::Error& error) {
        return UsageMessage(*failed, error, command_list);
      });

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
                   "Iteration limit per solve (>= 1)")
      ->transform(WholeNumber(1, INT_MAX))
      ->capture_default_str();
  compare_command
      ->add_option("--function-tolerance", compare.stopping.function_tolerance,
                   "Stop when |ΔL| <= tol·|L|")
      ->capture_default_str();
  compare_command
      ->add_option("--gradient-tolerance", compare.stopping.gradient_tolerance,
                   "Stop when max|∇L| <= tol")
      ->capture_default_str();
  compare_command
      ->add_option("--nist-dir", compare.catalog.nist_directory,
                   "Folder of the NIST StRD .dat files: enables the problems "
                   "nist-<Name> "
                   "and adds nist-Misra1a to the default run")
      ->check(FileName())
      ->type_name("DIR");
  compare_command
      ->add_option("--data", compare.data_path,
                   "Compare on a CSV file instead of the built-in problems "
                   "(with --model "
                   "and --response)")
      ->check(FileName())
      ->type_name("FILE");
  compare_command
      ->add_option("--model", compare.data_model, "GLM family for --data")
      ->capture_default_str();
  compare_command->add_option("--response", compare.data_response,
                              "Response column for --data");
  compare_command
      ->add_option("--seed", compare.catalog.seed, "Seed of the synthetic data")
      ->capture_default_str();
  compare_command
      ->add_option("--out", compare_output.directory,
                   "Directory for per-iteration CSV traces, convergence plots "
                   "(gnuplot: PNG and SVG) and index.md")
      ->check(FileName())
      ->type_name("DIR");

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
  CLI::Option* data_option =
      fit_command
          ->add_option("--data", fit.data_path, "CSV file with a header row")
          ->check(FileName())
          ->type_name("FILE");
  CLI::Option* nist_option =
      fit_command
          ->add_option("--nist", fit.nist_path,
                       "A NIST StRD nonlinear-regression .dat file")
          ->check(FileName())
          ->type_name("FILE");
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
  const NistFitOptions nist_fit_defaults;
  CLI::Option* max_iterations_option =
      fit_command
          ->add_option(
              "--max-iterations", fit.max_iterations,
              "Iteration limit, >= 1 (with --nist: default " +
                  std::to_string(nist_fit_defaults.stopping.max_iterations) +
                  ")")
          ->transform(WholeNumber(1, INT_MAX))
          ->capture_default_str();
  CLI::Option* tolerance_option =
      fit_command
          ->add_option(
              "--tolerance", fit.tolerance,
              "Relative function tolerance in (0, 1): stop when an "
              "iteration changes the negative log-likelihood by at most "
              "this fraction of it; a warning above 1e-6 (with --nist: "
              "default 1e-15)")
          ->check(RelativeTolerance())
          ->capture_default_str();
  fit_command
      ->add_option("--json", fit.json_path,
                   "Write the fit as JSON (replaced atomically)")
      ->check(FileName())
      ->type_name("FILE");
  fit_command
      ->add_option("--trace", fit.trace_path,
                   "Write the per-iteration trace as CSV (replaced atomically)")
      ->check(FileName())
      ->type_name("FILE");
  fit_command->add_flag("-v,--verbose", fit.verbose,
                        "Iteration table on stderr");

  // nist: the NIST StRD nonlinear-regression benchmark (tools/nist_command.h).
  CLI::App* nist_command = app.add_subcommand(
      "nist",
      "NIST StRD nonlinear regression: 27 problems x 2 starts, log relative "
      "error against the certified values, per optimizer");
  nist_command
      ->add_option("--dir", nist.directory, "Directory of the NIST .dat files")
      ->check(FileName())
      ->type_name("DIR")
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
    // Help: the full text on `out`, status 0. Anything else: the one line
    // of UsageMessage on `err`, status 2 (not CLI11's 100-127).
    const int status = app.exit(e, out, err);
    return status == 0 ? 0 : kUsageError;
  }
  if (nist_command->parsed()) {
    command_line->command = CommandLine::Command::kNist;
  } else if (fit_command->parsed()) {
    command_line->command = CommandLine::Command::kFit;
    fit.call = "fisheropt";
    for (int i = 1; i < argc; ++i) fit.call += std::string(" ") + argv[i];
    if (data_option->count() + nist_option->count() != 1) {
      return UsageError(err, "fit",
                        "give exactly one of --data FILE.csv and --nist "
                        "FILE.dat");
    }
    // A NIST fit is held to NIST's certified digits unless told otherwise.
    if (nist_option->count() > 0) {
      if (max_iterations_option->count() == 0) {
        fit.max_iterations = nist_fit_defaults.stopping.max_iterations;
      }
      if (tolerance_option->count() == 0) {
        fit.tolerance = nist_fit_defaults.stopping.function_tolerance;
      }
    }
    std::string error;
    if (!CheckOutputFiles(
            {{"--data", fit.data_path}, {"--nist", fit.nist_path}},
            {{"--json", fit.json_path}, {"--trace", fit.trace_path}}, &error)) {
      return UsageError(err, "fit", error);
    }
  } else if (compare_command->parsed()) {
    command_line->command = CommandLine::Command::kCompare;
    std::string error;
    if (!CheckCompareFiles(compare, compare_output, &error)) {
      return UsageError(err, "compare", error);
    }
  } else if (check_command->parsed()) {
    command_line->command = CommandLine::Command::kCheck;
  } else {
    err << "fisheropt: no command given\n";  // not reached: CLI11 requires one
    return kUsageError;
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
    case CommandLine::Command::kFit: {
      const FitOptions& fit = command_line.fit;
      // The summary is printed only when the fit and its files succeeded:
      // exit status 1 comes with one line on stderr and nothing on stdout.
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
