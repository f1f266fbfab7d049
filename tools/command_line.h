#ifndef FISHEROPT_TOOLS_COMMAND_LINE_H_
#define FISHEROPT_TOOLS_COMMAND_LINE_H_

#include <functional>
#include <ostream>

#include "tools/check_command.h"
#include "tools/compare.h"
#include "tools/fit_command.h"
#include "tools/nist_command.h"
#include "tools/predict_command.h"

namespace fisheropt {

// The command line of the `fisheropt` executable, parsed (CLI11) but not
// run. Split from main() so that tests and the fuzzer
// (fuzz/fuzz_cli_arguments.cc) parse exactly what the executable parses
// without starting a fit, a comparison or a benchmark. The commands and
// their options are defined by the commands themselves (tools/commands.h).
struct CommandLine {
  enum class Command { kNone, kCompare, kCheck, kFit, kNist, kPredict, kAnova };
  using RunFunction = std::function<int(const CommandLine& command_line,
                                        std::ostream& out, std::ostream& err)>;

  // The parsed command; kNone before a parse, and for a command that keeps
  // its options to itself (tools/commands.h).
  Command command = Command::kNone;
  CompareOptions compare;
  CompareOutputOptions compare_output;
  CheckOptions check;
  FitOptions fit;  // fit.call holds the command line ("fisheropt fit ...")
  NistBenchmarkOptions nist;
  PredictOptions predict;
  AnovaOptions anova;
  // --threads of every command: the library's thread count
  // (linalg/threads.h); 0 (not given) keeps OpenMP's default.
  int threads = 0;
  // Runs the parsed command (RunCommandLine calls it); empty before a parse.
  RunFunction run;
};

// Parses argv (argv[0] is the program's name). Returns -1 when a command was
// parsed and is to be run; otherwise the exit status to return: 0 after the
// help text (--help) or the version ("fisheropt 0.1.0", -V or --version,
// from the CMake project's version) was printed on `out`, or 2 after a usage
// error was printed on `err` as exactly one line naming the command and the
// option:
//   fisheropt: unknown command 'banana'; commands: compare, check, fit, nist,
//   predict, anova
//   fisheropt fit: --max-iterations must be a whole number from 1 to ...
// Usage errors: no or an unknown command, an unknown option or argument, a
// value that does not convert or is out of range (fit --max-iterations >= 1,
// fit --tolerance in (0, 1)), a single-valued option given twice, a missing
// required option, an empty file name, fit without exactly one of --data
// and --nist, and output files that name an input or each other, an
// existing folder or a missing folder (CheckOutputFiles, checked here,
// before any work). A `fit --nist` gets NIST's iteration limit and
// tolerance (NistFitOptions) unless --max-iterations or --tolerance is
// given.
int ParseCommandLine(int argc, const char* const* argv,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err);

// Runs a parsed command; returns the exit status (0 success, 1 bad input or
// a failure, with one line on `err`). `fit` prints its summary on `out` only
// when it succeeds, and warns on `err` when --tolerance is above 1e-6;
// `compare --out` writes its files before printing the tables.
int RunCommandLine(const CommandLine& command_line, std::ostream& out,
                   std::ostream& err);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMMAND_LINE_H_
