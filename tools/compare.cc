#include "tools/compare.h"

#include <fmt/format.h>

#include "optim/newton_solver.h"
#include "tools/optimizer_registry.h"

namespace fisheropt {
namespace {

// The reference optimum of a problem without a closed form: Newton's method,
// which converges quadratically, run until the gradient is at the rounding
// floor of the summed objective.
bool ComputeReference(const CatalogProblem& problem, ProblemReference* reference,
                      std::string* error) {
  reference->problem = problem.name;
  reference->description = problem.description;
  if (problem.closed_form_optimum.has_value()) {
    reference->source = "closed form";
    reference->optimum = *problem.closed_form_optimum;
  } else {
    SolverOptions options;
    options.curvature.type = CurvatureType::kHessian;
    options.stopping.max_iterations = 100;
    options.stopping.function_tolerance = 0.0;
    options.stopping.parameter_tolerance = 1e-15;
    options.stopping.gradient_tolerance = 1e-11;
    reference->optimum = problem.start;
    SolverSummary summary;
    Solve(options, *problem.model, &reference->optimum, &summary);
    if (summary.termination_type != TerminationType::kConvergence) {
      *error = problem.name + ": the reference Newton solve did not converge: " +
               summary.message;
      return false;
    }
    reference->source = fmt::format(
        "Newton to |gradient|_inf = {:.1e}", 
        summary.iterations.back().gradient_max_norm);
  }
  if (!problem.model->Evaluate(reference->optimum, &reference->nll, nullptr)) {
    *error = problem.name + ": the objective is not finite at the reference";
    return false;
  }
  return true;
}

}  // namespace

bool RunComparison(const CompareOptions& options, ComparisonResult* result,
                   std::string* error) {
  const std::vector<std::string> problem_names =
      options.problems.empty() ? CatalogProblemNames() : options.problems;
  const std::vector<std::string> optimizer_names =
      options.optimizers.empty() ? BuiltinOptimizerNames() : options.optimizers;
  std::vector<OptimizerSpec> specs(optimizer_names.size());
  for (size_t i = 0; i < optimizer_names.size(); ++i) {
    if (!FindOptimizer(optimizer_names[i], &specs[i], error)) return false;
  }
  if (!options.stopping.IsValid(error)) return false;
  *result = ComparisonResult();
  for (const std::string& name : problem_names) {
    std::unique_ptr<CatalogProblem> problem =
        MakeCatalogProblem(name, options.catalog, error);
    if (problem == nullptr) return false;
    ProblemReference reference;
    if (!ComputeReference(*problem, &reference, error)) return false;
    for (const OptimizerSpec& spec : specs) {
      ComparisonRow row;
      row.problem = name;
      row.solution = problem->start;
      RunOptimizer(spec, options.stopping, *problem->model, &row.solution,
                   &row.summary);
      row.nll_gap = row.summary.final_cost - reference.nll;
      row.relative_distance = (row.solution - reference.optimum).norm() /
                              reference.optimum.norm();
      result->rows.push_back(std::move(row));
    }
    result->references.push_back(std::move(reference));
  }
  return true;
}

std::string FormatComparison(const ComparisonResult& result) {
  std::string out;
  for (const ProblemReference& reference : result.references) {
    out += fmt::format("Problem '{}': {}\n", reference.problem,
                       reference.description);
    out += fmt::format("  reference optimum: {}; NLL* = {:.12f}\n\n",
                       reference.source, reference.nll);
    out += fmt::format(
        "  {:<19} {:<18} {:<19} {:>5} {:>6} {:>6} {:>6} {:>9} {:>20} {:>10} "
        "{:>11}  {}\n",
        "optimizer", "curvature", "step control", "iter", "f-eval", "g-eval",
        "C-eval", "time(ms)", "final NLL", "NLL-NLL*", "|θ-θ*|/|θ*|",
        "termination");
    for (const ComparisonRow& row : result.rows) {
      if (row.problem != reference.problem) continue;
      const SolverSummary& s = row.summary;
      out += fmt::format(
          "  {:<19} {:<18} {:<19} {:>5} {:>6} {:>6} {:>6} {:>9.1f} "
          "{:>20.10f} {:>10.2e} {:>11.2e}  {}\n",
          s.solver, s.curvature, s.step_control, s.num_iterations(),
          s.num_cost_evaluations, s.num_gradient_evaluations,
          s.num_curvature_evaluations, 1e3 * s.total_time_in_seconds,
          s.final_cost, row.nll_gap, row.relative_distance,
          ToString(s.termination_type));
    }
    out += "\n";
  }
  return out;
}

}  // namespace fisheropt
