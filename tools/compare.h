#ifndef FISHEROPT_TOOLS_COMPARE_H_
#define FISHEROPT_TOOLS_COMPARE_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/glm_family.h"
#include "problems/problem_catalog.h"

namespace fisheropt {

// `fisheropt compare`: every chosen optimizer on every chosen built-in
// problem, from the same start and with the same stopping rules.
struct CompareOptions {
  // Empty: CatalogProblemNames(), plus "nist-Misra1a" when
  // catalog.nist_directory is set.
  std::vector<std::string> problems;
  std::vector<std::string> optimizers;  // Empty: BuiltinOptimizerNames().
  CatalogOptions catalog;
  // A user's data set instead of the built-in problems: a CSV file, a GLM
  // family name and the response column (predictors: every other numeric
  // column, "(Intercept)" first), compared as problem "data".
  std::string data_path;
  std::string data_model = ToString(GlmFamilyType::kBernoulliLogit);
  std::string data_response;
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

// The largest ½ sᵀCs of the accepted steps of a solve (for a Fisher
// curvature, the largest KL divergence of one step, to second order); NaN
// when the solver does not report it (the Ceres baselines).
double MaxStepQuadraticForm(const SolverSummary& summary);

// The per-iteration traces of one problem as CSV, one row per iteration of
// every optimizer, with the header
//   problem,optimizer,iteration,time_seconds,nll,nll_minus_reference,
//   gradient_norm,step_norm,damping,kl
// (time cumulative since the start of the solve; kl = ½ ΔθᵀCΔθ of the step,
// empty where the solver does not report it; damping = λ or the shift τ).
std::string FormatTraceCsv(const ComparisonResult& result,
                           const std::string& problem);

// `compare --out DIR`.
struct CompareOutputOptions {
  std::string directory;
  // The gnuplot executable. When it cannot be run, the plots are skipped
  // and the report says so; the CSV traces and the index are still written.
  std::string gnuplot = "gnuplot";
};

struct CompareOutputReport {
  std::vector<std::string> files;  // written, relative to the directory
  bool plots_written = false;
  std::string note;  // why the plots were skipped, if they were
};

// The names of the files `compare --out` may write for problem P: ours
// (traces_P.csv, P.dat, P.gp, index.md, each replaced atomically,
// tools/output_file.h) and gnuplot's (P.png, P.svg, and its log
// P.gnuplot.log, written by gnuplot and the shell). The command line
// refuses a --data file that is one of them.
std::vector<std::string> ComparisonOutputFileNames(const std::string& problem);

// Writes into options.directory (created if missing), per problem P:
//   traces_P.csv   FormatTraceCsv
//   P.dat, P.gp    the gnuplot data (NLL − NLL*, floored for the log axis)
//                  and script, kept so a plot can be re-made by hand
//   P.png, P.svg   NLL − NLL* on a log scale against iteration and against
//                  time, one line per optimizer
// and index.md with the table of every problem and its plots. Returns false
// with a message only when a file cannot be written; gnuplot missing or
// failing is reported in report->note, never an error.
bool WriteComparisonOutputs(const ComparisonResult& result,
                            const CompareOutputOptions& options,
                            CompareOutputReport* report, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMPARE_H_
