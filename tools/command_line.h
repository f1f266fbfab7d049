#ifndef FISHEROPT_TOOLS_COMMAND_LINE_H_
#define FISHEROPT_TOOLS_COMMAND_LINE_H_

#include <ostream>

#include "tools/check_command.h"
#include "tools/compare.h"
#include "tools/fit_command.h"
#include "tools/nist_command.h"

namespace fisheropt {

// The command line of the `fisheropt` executable, parsed (CLI11) but not
// run. Split from main() so that tests and the fuzzer
// (fuzz/fuzz_cli_arguments.cc) parse exactly what the executable parses
// without starting a fit, a comparison or a benchmark.
struct CommandLine {
  enum class Command { kNone, kCompare, kCheck, kFit, kNist };
  Command command = Command::kNone;
  CompareOptions compare;
  CompareOutputOptions compare_output;
  CheckOptions check;
  FitOptions fit;  // fit.call holds the command line ("fisheropt fit ...")
  NistBenchmarkOptions nist;
};

// Parses argv (argv[0] is the program's name). Returns -1 when a command was
// parsed and is to be run; otherwise the exit status to return, after the
// help text (status 0, on `out`) or the parse error (status > 0, on `err`)
// was printed.
int ParseCommandLine(int argc, const char* const* argv,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err);

// Runs a parsed command; returns the exit status.
int RunCommandLine(const CommandLine& command_line, std::ostream& out,
                   std::ostream& err);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMMAND_LINE_H_
