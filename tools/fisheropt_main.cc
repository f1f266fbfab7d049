// fisheropt: the command-line tool.
//
//   fisheropt compare [--problem NAME ...] [--optimizers a,b,...]
//       Every optimizer on the built-in problems from the same start; prints
//       one table per problem. --out DIR also writes per-iteration CSV
//       traces, gnuplot convergence plots (PNG, SVG) and DIR/index.md.
//
//   fisheropt fit --data FILE.csv --model NAME --response COL [...]
//       Fits a GLM (or the multivariate normal) to a CSV file; R-style
//       summary on stdout, --json for machines. See tools/fit_command.h.
//
//   fisheropt check, fisheropt nist, fisheropt --version
//
// Each command defines its options in its own file; tools/commands.h lists
// the commands and tools/command_line.cc parses them. Exit status: 0
// success (a fit, even with warnings), 1 bad input or a failure (one line
// on stderr), 2 a usage error (one line on stderr).

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <ostream>

#include "distributed/process_group.h"
#include "tools/command_line.h"

int main(int argc, char** argv) {
  // OpenMP threads that wait for work actively spin, which on a machine
  // shared with other processes takes their cores and slows every pass
  // several times over. libgomp reads OMP_WAIT_POLICY when it loads, before
  // main, so the tool runs itself again once with the policy "passive"
  // (threads sleep between passes) unless the user chose a policy; if that
  // fails it runs as it is.
  if (std::getenv("OMP_WAIT_POLICY") == nullptr &&
      setenv("OMP_WAIT_POLICY", "passive", 1) == 0) {
    execv("/proc/self/exe", argv);
  }
  // Under an MPI launcher (`mpirun -np K fisheropt fit ...`), MPI lives as
  // long as main; every process runs the command and process 0 alone
  // prints: the others write to a stream that discards (distributed/
  // process_group.h). Started by hand, this is one process and no MPI.
  fisheropt::ProcessGroup processes(&argc, &argv);
  std::ostream discard(nullptr);
  const bool prints = processes.communicator().rank() == 0;
  std::ostream& out = prints ? std::cout : discard;
  std::ostream& err = prints ? std::cerr : discard;
  fisheropt::CommandLine command_line;
  const int status =
      fisheropt::ParseCommandLine(argc, argv, &command_line, out, err);
  if (status >= 0) return status;
  return fisheropt::RunCommandLine(command_line, out, err);
}
