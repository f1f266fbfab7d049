// `fisheropt anova`: R's analysis of deviance between two saved GLM fits.

#include <CLI/CLI.hpp>
#include <string>

#include "stats/anova.h"
#include "stats/glm_fit.h"
#include "tools/command_line.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/predict_command.h"

namespace fisheropt {

int RunAnova(const AnovaOptions& options, std::ostream& out,
             std::ostream& err) {
  const auto fail = [&err](const std::string& message, int status) {
    err << "fisheropt anova: " << message << "\n";
    return status;
  };
  AnovaTest test;
  if (options.test == "LRT" || options.test == "Chisq") {
    test = AnovaTest::kLikelihoodRatio;
  } else if (options.test == "F") {
    test = AnovaTest::kF;
  } else {
    return fail("unknown --test '" + options.test + "'; use LRT or F",
                kUsageErrorStatus);
  }
  std::string error;
  GlmFit small, big;
  if (!LoadFitJson(options.small_path, &small, &error) ||
      !LoadFitJson(options.big_path, &big, &error)) {
    return fail(error, 1);
  }
  AnovaComparison comparison;
  if (!CompareNestedFits(small, big, test, &comparison, &error)) {
    return fail(
        "'" + options.small_path + "' and '" + options.big_path + "': " + error,
        1);
  }
  // The two formulas under the title, as R prints them.
  std::string report = comparison.Report();
  const size_t title_end = report.find("\n\n");
  if (title_end != std::string::npos) {
    report.insert(title_end + 2, "Model 1: " + small.frame.formula_text +
                                     "\nModel 2: " + big.frame.formula_text +
                                     "\n\n");
  }
  out << report;
  return 0;
}

RegisteredCommand RegisterAnovaCommand(CLI::App* app,
                                       CommandLine* command_line) {
  AnovaOptions* options = &command_line->anova;
  CLI::App* command = app->add_subcommand(
      "anova",
      "Analysis of deviance of two nested GLMs saved by `fit --json` (R's "
      "anova(small, big, test = ))");
  command->add_option("small", options->small_path, "The smaller model's JSON")
      ->check(FileName())
      ->type_name("SMALL.json")
      ->required();
  command->add_option("big", options->big_path, "The bigger model's JSON")
      ->check(FileName())
      ->type_name("BIG.json")
      ->required();
  command
      ->add_option("--test", options->test,
                   "LRT (likelihood ratio, also Chisq) or F")
      ->capture_default_str();

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kAnova;
  registered.subcommand = command;
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunAnova(parsed.anova, out, err);
  };
  return registered;
}

}  // namespace fisheropt
