#ifndef FISHEROPT_TOOLS_NIST_COMMAND_H_
#define FISHEROPT_TOOLS_NIST_COMMAND_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "optim/solver_options.h"
#include "optim/solver_summary.h"

namespace fisheropt {

// `fisheropt nist --dir DIR [--optimizers LIST]`: the NIST StRD
// nonlinear-regression benchmark. Every chosen problem × both NIST starts ×
// every chosen optimizer, with the same stopping rules for all; each run is
// scored by the log relative error of each parameter against the certified
// value,
//   LRE_j = −log10(|b_j − b_cert,j| / |b_cert,j|), clamped to [0, 11]
// (as Ceres' examples/nist.cc; non-finite → 0), and counts as solved when
// min_j LRE_j ≥ 4 (four matching digits). The final point is scored whatever
// the termination type (a solver that stops early is scored where it
// stopped).

// The optimizers of the benchmark, in table order: our Gauss–Newton (the
// expected Fisher JᵀJ) with a line search ("fisher-scoring"), with
// Levenberg–Marquardt damping ("fisher-lm"), with a KL trust region
// ("natural-gradient-kl"), and Ceres' trust-region Levenberg–Marquardt
// ("ceres-lm") and dogleg ("ceres-dogleg"). Any other name of
// BuiltinOptimizers() is accepted too.
const std::vector<std::string>& NistDefaultOptimizers();

struct NistBenchmarkOptions {
  std::string directory;                // holds <Name>.dat for each problem
  std::vector<std::string> problems;    // empty: all 27 (NistModelNames())
  std::vector<std::string> optimizers;  // empty: NistDefaultOptimizers()
  // Tight for everyone, so that the scores compare solutions rather than
  // stopping rules.
  StoppingOptions stopping = [] {
    StoppingOptions stopping;
    stopping.max_iterations = 1000;
    stopping.function_tolerance = 1e-15;
    stopping.gradient_tolerance = 1e-15;
    stopping.parameter_tolerance = 1e-15;
    return stopping;
  }();
};

struct NistRun {
  std::string problem;
  int start = 1;  // 1 or 2
  std::string optimizer;
  Eigen::VectorXd estimate;
  Eigen::VectorXd lre;  // per parameter
  double min_lre = 0.0;
  bool solved = false;
  double rss = 0.0;  // Σ r² at the estimate (NaN if not finite)
  SolverSummary summary;
};

struct NistProblemInfo {
  std::string name;
  std::string difficulty;  // "lower", "average", "higher" (NIST's levels)
  int num_parameters = 0;
  int num_observations = 0;
  double certified_rss = 0.0;
};

struct NistOptimizerTotals {
  std::string optimizer;
  int solved = 0;
  int runs = 0;
  double mean_min_lre = 0.0;
  double total_time_in_seconds = 0.0;
};

struct NistBenchmarkResult {
  std::vector<std::string> optimizers;
  std::vector<NistProblemInfo> problems;
  std::vector<NistRun> runs;  // problem-major, then start, then optimizer
  std::vector<NistOptimizerTotals> totals;  // in optimizer order
};

// LRE of one estimate against a certified value, clamped to [0, 11].
double LogRelativeError(double estimate, double certified);

// Runs the benchmark. False with a message for an unknown optimizer or
// problem name, or a file that cannot be read, does not match its model or
// that the model refuses (fewer observations than parameters: "DIR/MGH09.dat:
// 3 observations but 4 parameters: ..."); no run of such a problem is
// reported.
bool RunNistBenchmark(const NistBenchmarkOptions& options,
                      NistBenchmarkResult* result, std::string* error);

// One table per problem (a row per start × optimizer: iterations,
// termination, RSS, min LRE, the LRE of each parameter, solved) and the
// totals per optimizer (solved out of the runs, mean min LRE, time).
std::string FormatNistBenchmark(const NistBenchmarkResult& result);
// The totals table alone.
std::string FormatNistTotals(const NistBenchmarkResult& result);

// One NIST problem from one start: what `fisheropt fit --nist FILE.dat
// --start {1,2} [--optimizer NAME] [--json OUT]` runs and prints
// (tools/fit_command.cc calls these functions).
struct NistFitOptions {
  std::string file;  // path of the .dat file
  int start = 1;     // NIST's start 1 (far) or 2 (near)
  // Any name of NistDefaultOptimizers() or BuiltinOptimizers().
  std::string optimizer = "fisher-lm";
  StoppingOptions stopping = NistBenchmarkOptions().stopping;
  // Called after every iteration of our solvers (not owned; e.g. the
  // LoggingCallback of `fit -v`). The Ceres baselines do not call them.
  std::vector<IterationCallback*> callbacks;

  bool IsValid(std::string* error) const;
};

struct NistFitResult {
  std::string problem;
  std::string optimizer;
  int start = 1;
  std::vector<std::string> names;  // b1 .. bp
  Eigen::VectorXd estimate;
  // sqrt(diag((JᵀJ)⁻¹) · RSS / (N − p)) at the estimate, as NIST certifies
  // its standard deviations (J from a QR of the Jacobian, no inverse of
  // JᵀJ); NaN when J is rank deficient or N = p (no residual degrees of
  // freedom). N − p is computed, not read (NIST's Rat43 file misstates its
  // degrees of freedom). A file with N < p is refused before fitting.
  Eigen::VectorXd std_error;
  Eigen::VectorXd certified_values;
  Eigen::VectorXd certified_standard_deviations;
  Eigen::VectorXd lre;
  double rss = 0.0;  // Σ r², not half of it
  double certified_rss = 0.0;
  bool converged = false;  // termination CONVERGENCE (or USER_SUCCESS)
  int iterations = 0;      // accepted steps
  SolverSummary summary;
};

// Reads the file, solves, computes the standard errors. False with a
// message for an unreadable file, one the model refuses (fewer observations
// than parameters: "FILE: 3 observations but 4 parameters: ..."), an unknown
// optimizer, a start not 1 or 2.
bool RunNistFit(const NistFitOptions& options, NistFitResult* result,
                std::string* error);

// {"coefficients":[{"name":"b1","estimate":..,"std_error":..},...],
//  "rss":..,"converged":..,"iterations":..} (plus "problem", "start",
// "optimizer", "termination"); numbers round-trip (17 digits); a NaN
// standard error is null.
std::string NistFitToJson(const NistFitResult& result);

// A coefficient table with the certified values, their standard deviations
// and the LRE of each estimate, then RSS vs certified RSS and the solver's
// one-line report.
std::string FormatNistFit(const NistFitResult& result);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_NIST_COMMAND_H_
