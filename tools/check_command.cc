#include "tools/check_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "fisher/inference.h"
#include "optim/newton_solver.h"
#include "problems/model_registry.h"
#include "tools/command_options.h"
#include "tools/commands.h"

namespace fisheropt {
namespace {

// The entry's check instance (problems/model_registry.h) with N = --samples.
std::unique_ptr<LikelihoodModel> MakeCheckModel(const CheckOptions& options,
                                                std::string* error) {
  const ModelEntry& entry = *FindModel(options.model);
  InstanceOptions instance;
  instance.size = *entry.check_size;
  instance.size.num_samples = options.samples;
  instance.seed = options.seed;
  std::unique_ptr<CatalogProblem> problem =
      entry.make_instance(entry.name, instance, error);
  if (problem == nullptr) return nullptr;
  return std::move(problem->model);
}

}  // namespace

std::vector<std::string> CheckModelNames() {
  return ModelNames(
      [](const ModelEntry& entry) { return entry.check_size.has_value(); });
}

bool CheckOptions::IsValid(std::string* error) const {
  std::string message;
  const std::vector<std::string> names = CheckModelNames();
  if (std::find(names.begin(), names.end(), model) == names.end()) {
    message = "CheckOptions::model = '" + model +
              "' must be one of: " + JoinNames(names);
  } else if (samples < 20) {
    message =
        "CheckOptions::samples = " + std::to_string(samples) + " must be >= 20";
  } else if (draws < 2) {
    message =
        "CheckOptions::draws = " + std::to_string(draws) + " must be >= 2";
  } else if (!(perturbation >= 0.0 && perturbation <= 10.0)) {
    message = fmt::format("CheckOptions::perturbation = {} must be in [0, 10]",
                          perturbation);
  }
  if (message.empty()) return true;
  if (error != nullptr) *error = message;
  return false;
}

bool RunCheck(const CheckOptions& options, CheckResult* result,
              std::string* error) {
  if (!options.IsValid(error)) return false;
  std::unique_ptr<LikelihoodModel> model = MakeCheckModel(options, error);
  if (model == nullptr) return false;

  // The MLE by Fisher scoring with a line search, to a tight gradient.
  SolverOptions solver;
  solver.stopping.max_iterations = 200;
  solver.stopping.function_tolerance = 0.0;
  solver.stopping.parameter_tolerance = 0.0;
  solver.stopping.gradient_tolerance = 1e-9;
  Eigen::VectorXd mle = Eigen::VectorXd::Zero(model->NumParameters());
  SolverSummary summary;
  Solve(solver, *model, &mle, &summary);
  if (summary.termination_type != TerminationType::kConvergence) {
    if (error != nullptr) {
      *error = "the MLE solve did not converge: " + summary.message;
    }
    return false;
  }
  Eigen::VectorXd perturbed = mle;
  for (int j = 0; j < perturbed.size(); ++j) {
    perturbed[j] += options.perturbation * (j % 2 == 0 ? 1.0 : -1.0);
  }

  DiagnosticsOptions diagnostics;
  diagnostics.num_draws = options.draws;
  diagnostics.seed = options.seed;
  result->point_labels = {"MLE", "perturbed"};
  result->reports.assign(2, DiagnosticsReport());
  result->all_pass = true;
  std::string text = fmt::format(
      "fisheropt check: model {} (N = {}, p = {}), {} data sets drawn from "
      "the model, seed {}\n",
      model->Name(), model->NumSamples(), model->NumParameters(), options.draws,
      options.seed);
  text += fmt::format("MLE by {} in {} iterations (max |gradient| = {:.1e})\n",
                      summary.solver, summary.num_iterations(),
                      summary.iterations.back().gradient_max_norm);
  InferenceResult inference;
  if (ComputeInference(InferenceOptions(), *model, mle, &inference, error)) {
    text += "\nCoefficients at the MLE (covariance = inverse Fisher):\n" +
            FormatCoefficientTable(inference, /*stars=*/false);
  } else {
    return false;
  }
  const Eigen::VectorXd* points[2] = {&mle, &perturbed};
  for (int k = 0; k < 2; ++k) {
    if (!RunDiagnostics(diagnostics, *model, *points[k], &result->reports[k],
                        error)) {
      return false;
    }
    const bool pass = result->reports[k].AllPass();
    result->all_pass = result->all_pass && pass;
    text += "\nAt the " +
            (k == 0 ? std::string("MLE θ̂")
                    : fmt::format("perturbed point θ̂ + {} · (+1, −1, ...)",
                                  options.perturbation)) +
            ":\n" + FormatDiagnostics(result->reports[k]);
  }
  text += result->all_pass ? "\nAll checks PASS.\n" : "\nSome checks FAIL.\n";
  result->text = std::move(text);
  return true;
}

namespace {

// Invalid options are a usage error (exit status 2); failed checks exit 1.
int RunCheckCommand(const CheckOptions& options, std::ostream& out,
                    std::ostream& err) {
  CheckResult result;
  std::string error;
  if (!RunCheck(options, &result, &error)) {
    err << "fisheropt check: " << error << "\n";
    return kUsageErrorStatus;
  }
  out << result.text;
  return result.all_pass ? 0 : 1;
}

}  // namespace

RegisteredCommand RegisterCheckCommand(CLI::App* app,
                                       CommandLine* command_line) {
  CheckOptions& check = command_line->check;
  CLI::App* command = app->add_subcommand(
      "check",
      "Check the Fisher-information identities on a built-in model at its "
      "MLE and at a perturbed point; exit 0 iff every check passes");
  command
      ->add_option("--model", check.model,
                   "Model: " + JoinNames(CheckModelNames()))
      ->capture_default_str();
  command
      ->add_option("--samples", check.samples,
                   "Samples N of the synthetic data set")
      ->capture_default_str();
  command
      ->add_option("--draws", check.draws,
                   "Data sets M drawn from the model (Monte Carlo)")
      ->capture_default_str();
  command->add_option("--seed", check.seed, "Seed of the data and of the draws")
      ->capture_default_str();
  command
      ->add_option("--perturbation", check.perturbation,
                   "Distance of the perturbed point per parameter")
      ->capture_default_str();

  RegisteredCommand registered;
  registered.command = CommandLine::Command::kCheck;
  registered.subcommand = command;
  registered.run = [](const CommandLine& parsed, std::ostream& out,
                      std::ostream& err) {
    return RunCheckCommand(parsed.check, out, err);
  };
  return registered;
}

}  // namespace fisheropt
