#ifndef FISHEROPT_TOOLS_COMPARE_H_
#define FISHEROPT_TOOLS_COMPARE_H_

#include <string>
#include <vector>

#include <Eigen/Core>

#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/problem_catalog.h"

namespace fisheropt {

// `fisheropt compare`: every chosen optimizer on every chosen built-in
// problem, from the same start and with the same stopping rules.
struct CompareOptions {
  std::vector<std::string> problems;    // Empty: CatalogProblemNames().
  std::vector<std::string> optimizers;  // Empty: BuiltinOptimizerNames().
  CatalogOptions catalog;
  // Tighter than the Ceres defaults, so every method is driven to the
  // optimum and the distance column compares solutions, not stopping rules.
  StoppingOptions stopping = [] {
    StoppingOptions stopping;
    stopping.max_iterations = 1000;
    stopping.function_tolerance = 1e-13;
    stopping.gradient_tolerance = 1e-8;
    stopping.parameter_tolerance = 1e-12;
    return stopping;
  }();
};

struct ComparisonRow {
  std::string problem;
  SolverSummary summary;
  Eigen::VectorXd solution;
  double nll_gap = 0.0;            // final NLL − reference NLL
  double relative_distance = 0.0;  // ‖θ − θ*‖ / ‖θ*‖
};

struct ProblemReference {
  std::string problem;
  std::string description;
  std::string source;  // "closed form" or how it was computed
  Eigen::VectorXd optimum;
  double nll = 0.0;
};

struct ComparisonResult {
  std::vector<ProblemReference> references;
  std::vector<ComparisonRow> rows;
};

// Runs the comparison. Returns false with a message for an unknown problem or
// optimizer name, or when no reference optimum could be computed.
bool RunComparison(const CompareOptions& options, ComparisonResult* result,
                   std::string* error);

// The comparison as fixed-width text tables, one per problem.
std::string FormatComparison(const ComparisonResult& result);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMPARE_H_
