// `fisheropt predict`: predictions of a saved GLM fit on new data.

#include "tools/predict_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "stats/glm_fit.h"
#include "stats/glm_json.h"
#include "tools/command_line.h"
#include "tools/command_options.h"
#include "tools/commands.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

// %.17g: the double read back from the text is the one written.
std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

}  // namespace

bool LoadFitJson(const std::string& path, GlmFit* fit, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path + "'";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read '" + path + "'";
    return false;
  }
  if (!GlmFitFromJson(text.str(), fit, error)) {
    *error = "'" + path + "': " + *error;
    return false;
  }
  return true;
}

int RunPredict(const PredictOptions& options, std::ostream& out,
               std::ostream& err) {
  const auto fail = [&err](const std::string& message, int status) {
    err << "fisheropt predict: " << message << "\n";
    return status;
  };
  PredictionType type;
  if (options.type == "link") {
    type = PredictionType::kLink;
  } else if (options.type == "response") {
    type = PredictionType::kResponse;
  } else {
    return fail("unknown --type '" + options.type + "'; use link or response",
                kUsageErrorStatus);
  }
  std::string error;
  GlmFit fit;
  if (!LoadFitJson(options.fit_path, &fit, &error)) return fail(error, 1);
  CsvTable table;
  DataFrame newdata;
  if (!ReadCsvFile(options.data_path, &table, &error) ||
      !DataFrameFromCsv(table, &newdata, &error)) {
    return fail(error, 1);
  }
  GlmPrediction prediction;
  if (!PredictGlm(fit, newdata, type, &prediction, &error)) {
    return fail("'" + options.data_path + "': " + error, 1);
  }
  std::string csv = options.se ? "fit,se_fit\n" : "fit\n";
  for (Eigen::Index i = 0; i < prediction.fit.size(); ++i) {
    csv += Number(prediction.fit[i]);
    if (options.se) csv += "," + Number(prediction.se_fit[i]);
    csv += "\n";
  }
  if (options.out_path.empty()) {
    out << csv;
    return 0;
  }
  if (!WriteFileAtomically(options.out_path, csv, &error)) {
    return fail(error, 1);
  }
  return 0;
}

RegisteredCommand RegisterPredictCommand(CLI::App* app,
                                         CommandLine* command_line) {
  PredictOptions* options = &command_line->predict;
  CLI::App* command = app->add_subcommand(
      "predict",
      "Predict new data from a GLM saved by `fit --json` (R's predict.glm): "
      "a CSV of fit (and se_fit)");
  command->add_option("--fit", options->fit_path, "The fit's JSON")
      ->check(FileName())
      ->type_name("FILE")
      ->required();
  command->add_option("--data", options->data_path, "CSV file of new data")
      ->check(FileName())
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--type", options->type,
                   "Scale of the predictions: link or response")
      ->capture_default_str();
  command->add_flag("--se", options->se,
                    "Add the standard errors (column se_fit)");
  command
      ->add_option("--out", options->out_path,
                   "Write the CSV here (replaced atomically) instead of stdout")
      ->type_name("FILE");

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kPredict;
  registered.subcommand = command;
  registered.finish = [options](const std::string& /*call*/,
                                std::string* error) {
    return CheckOutputFiles(
        {{"--fit", options->fit_path}, {"--data", options->data_path}},
        {{"--out", options->out_path}}, error);
  };
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunPredict(parsed.predict, out, err);
  };
  return registered;
}

}  // namespace fisheropt
