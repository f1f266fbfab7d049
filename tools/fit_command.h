#ifndef FISHEROPT_TOOLS_FIT_COMMAND_H_
#define FISHEROPT_TOOLS_FIT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace fisheropt {

// `fisheropt fit`: fit a statistical model to a CSV file and report it as R
// would (coefficient table, deviances, AIC), with JSON for machines.
//
//   fisheropt fit --nist FILE.dat --start {1,2} [--optimizer NAME] [--json]
//   fisheropt fit --data FILE.csv --model FAMILY [--link L]
//                 (--formula "y ~ a * b + offset(log(t))" |
//                  --response COL [--predictors a,b] [--no-intercept])
//                 [--weights COL] [--offset COL]
//   fisheropt fit --data X.npy --response-data y.npy --model FAMILY
//                 [--link L] [--no-intercept]
//   fisheropt fit --data FILE.csv --model mvn [--variables a,b]
//                 [--optimizer NAME] [--covariance {fisher,observed,sandwich}]
//                 [--max-iterations N] [--tolerance T] [--drop-missing]
//                 [--json OUT.json] [--trace OUT.csv] [-v] [-q]
struct FitOptions {
  // A CSV file, or a NumPy .npy file of X (name ending in .npy, with
  // response_data_path): columns x0, x1, …, the intercept prepended unless
  // no_intercept.
  std::string data_path;
  // The response y of a .npy fit, an (N,) or (N, 1) .npy file.
  std::string response_data_path;
  // A NIST StRD .dat file instead of a CSV (tools/nist_command.h), fitted
  // from NIST's start 1 or 2; standard errors as NIST certifies them.
  std::string nist_path;
  int nist_start = 1;
  // A GLM family's name (stats/family_names.h: R's names and aliases) or
  // "mvn".
  std::string model = "logistic";
  // R's link name ("logit", "log", "1/mu^2", ...); empty: the family's
  // default (or the one its name implies: probit, cloglog).
  std::string link;
  // An R model formula (stats/formula.h); or the simple form below.
  std::string formula;
  std::string response;
  // Empty: every other column (R's y ~ .), text columns as factors.
  std::vector<std::string> predictors;
  bool no_intercept = false;
  // Prior weights and an offset column (R's glm(weights =, offset =)).
  std::string weights;
  std::string offset;
  std::vector<std::string> variables;  // mvn; empty: all numeric columns
  bool drop_missing = false;
  std::string optimizer = "fisher-scoring";
  // "fisher" (inverse expected Fisher, as R's glm), "observed" (inverse
  // observed information) or "sandwich" (HC0).
  std::string covariance = "fisher";
  // Both apply to NIST fits too; for those the command line's defaults are
  // NIST's (1000 iterations, 1e-15; NistFitOptions).
  int max_iterations = 100;
  // Relative function tolerance of the solver.
  double tolerance = 1e-12;
  std::string json_path;
  std::string trace_path;
  bool verbose = false;  // iteration table on stderr
  // No progress lines on stderr. Without it, reading and each iteration
  // report progress on stderr once that stage has run for 2 s (rows read,
  // MB/s; iteration, gradient norm), so short runs print nothing.
  bool quiet = false;
  std::string call;  // the command line, echoed as "Call:"
};

// Runs the fit. The summary (with every warning) goes to `out`; JSON and the
// trace go to their files, each replaced atomically (tools/output_file.h).
// Returns the exit status: 0 when a fit was produced, even with warnings; 1
// with a one-line message on `err` when the input or options are bad or an
// output file cannot be written (the old file is kept).
int RunFit(const FitOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_FIT_COMMAND_H_
