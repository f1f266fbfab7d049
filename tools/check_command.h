#ifndef FISHEROPT_TOOLS_CHECK_COMMAND_H_
#define FISHEROPT_TOOLS_CHECK_COMMAND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fisher/diagnostics.h"
#include "problems/glm_family.h"

namespace fisheropt {

// `fisheropt check`: the theory diagnostics of fisher/diagnostics.h on a
// synthetic data set of a built-in model, at the MLE (computed by the
// solver: Fisher scoring with a line search) and at a perturbed point.
struct CheckOptions {
  // A name of CheckModelNames(); the instance is the model's check_size in
  // the model registry (problems/model_registry.h): logistic with 4
  // coefficients, mvn in 2 dimensions (5 parameters), softmax with 3
  // classes and 3 coefficients per non-reference class.
  std::string model = ToString(GlmFamilyType::kBernoulliLogit);
  // N, the samples of the synthetic data set.
  int samples = 500;
  // M, the data sets drawn from the model for the Monte Carlo rows.
  int draws = 1000;
  // Seed of the synthetic data and of the draws.
  std::uint64_t seed = 20261128;
  // The perturbed point is θ̂ + perturbation · (+1, −1, +1, ...).
  double perturbation = 0.5;

  bool IsValid(std::string* error) const;
};

// The models of the registry with a check instance, in registry order
// (logistic, mvn, softmax).
std::vector<std::string> CheckModelNames();

struct CheckResult {
  std::vector<std::string> point_labels;  // "MLE", "perturbed"
  std::vector<DiagnosticsReport> reports;
  std::string text;  // The tables, as printed.
  bool all_pass = false;
};

// Builds the model, solves for the MLE, runs the diagnostics at both points.
// Returns false with a message on invalid options or a failed solve.
bool RunCheck(const CheckOptions& options, CheckResult* result,
              std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_CHECK_COMMAND_H_
