#ifndef FISHEROPT_TOOLS_COMMANDS_H_
#define FISHEROPT_TOOLS_COMMANDS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tools/command_line.h"

namespace CLI {
class App;
}  // namespace CLI

namespace fisheropt {

// The commands of the `fisheropt` executable. Each is one file whose
// Register function adds the command's subcommand, options and help text to
// the CLI11 app of ParseCommandLine (tools/command_line.cc) and returns how
// to finish and run it; kCommands below is the one place that lists them.
// A new command is its file, its two lines here (the declaration and its
// place in kCommands) and its source in tools/CMakeLists.txt; it may keep
// its options to itself (bound to an object its `run` holds, e.g. a
// std::shared_ptr) instead of in a field of CommandLine.

// The exit status of a usage error: a command line that cannot be run as
// written (README: 0 success, 1 bad input or a failure, 2 a usage error).
constexpr int kUsageErrorStatus = 2;

struct RegisteredCommand {
  // The command, for the commands whose options are fields of CommandLine
  // (tests and the fuzzer read them); kNone for the others.
  CommandLine::Command command = CommandLine::Command::kNone;
  // The command's subcommand of the app (owned by the app).
  CLI::App* subcommand = nullptr;
  // Called once after a parse without a usage error that chose this
  // command, with the command line as one line ("fisheropt fit --data
  // d.csv", the arguments joined by spaces): applies what depends on which
  // options were given and checks what CLI11 cannot (an output file that is
  // an input, options that need each other). Returns false with the message
  // of a usage error, which ParseCommandLine prints as one line after
  // "fisheropt <command>: ". May be empty.
  std::function<bool(const std::string& call, std::string* error)> finish;
  // Runs the parsed command (becomes CommandLine::run).
  CommandLine::RunFunction run;
};

using RegisterCommandFunction =
    RegisteredCommand (*)(CLI::App* app, CommandLine* command_line);

// tools/compare_command.cc, check_command.cc, fit_command.cc and
// nist_command.cc. The options are bound to the fields of *command_line.
RegisteredCommand RegisterCompareCommand(CLI::App* app,
                                         CommandLine* command_line);
RegisteredCommand RegisterCheckCommand(CLI::App* app,
                                       CommandLine* command_line);
RegisteredCommand RegisterFitCommand(CLI::App* app, CommandLine* command_line);
RegisteredCommand RegisterNistCommand(CLI::App* app, CommandLine* command_line);
RegisteredCommand RegisterPredictCommand(CLI::App* app,
                                         CommandLine* command_line);
RegisteredCommand RegisterAnovaCommand(CLI::App* app,
                                       CommandLine* command_line);

// The commands, in the order of --help and of the usage errors' list.
inline constexpr RegisterCommandFunction kCommands[] = {
    RegisterCompareCommand, RegisterCheckCommand,   RegisterFitCommand,
    RegisterNistCommand,    RegisterPredictCommand, RegisterAnovaCommand};

// ParseCommandLine (tools/command_line.h) with the given commands in place
// of kCommands (tests register commands of their own with it).
int ParseCommandLine(int argc, const char* const* argv,
                     const std::vector<RegisterCommandFunction>& commands,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMMANDS_H_
