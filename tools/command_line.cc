#include "tools/command_line.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "linalg/threads.h"
#include "tools/command_options.h"
#include "tools/commands.h"

#ifndef FISHEROPT_VERSION
#error "FISHEROPT_VERSION (the CMake project's version) must be defined"
#endif

namespace fisheropt {
namespace {

// Text from the command line in a one-line message: control characters
// (a newline inside an argument) are escaped.
std::string OneLine(const std::string& text) {
  std::string line;
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      line += escaped;
    } else {
      line += c;
    }
  }
  return line;
}

// The option given more times than it takes values (CLI11's
// ArgumentMismatch under MultiOptionPolicy::Throw), if any.
const CLI::Option* RepeatedOption(const CLI::App& app) {
  for (const CLI::App* command : app.get_subcommands()) {
    if (const CLI::Option* option = RepeatedOption(*command)) return option;
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_multi_option_policy() == CLI::MultiOptionPolicy::Throw &&
        option->get_items_expected_max() >= 1 &&
        option->count() >
            static_cast<size_t>(option->get_items_expected_max())) {
      return option;
    }
  }
  return nullptr;
}

// The one-line message of a usage error (app.failure_message): the command
// ("fisheropt fit: "), then what is wrong, naming the option.
std::string UsageMessage(const CLI::App& app, const CLI::Error& error,
                         const std::string& command_list) {
  const std::vector<CLI::App*> commands = app.get_subcommands();
  std::string prefix = "fisheropt";
  if (!commands.empty()) prefix += " " + commands.front()->get_name();
  const std::vector<std::string> remaining = app.remaining(true);
  const std::string first = remaining.empty() ? "" : remaining.front();
  std::string text = error.what();
  // By type, not get_name(): CLI11 names an ExtrasError after the app.
  const std::vector<std::string> top_level = app.remaining(false);
  if (!top_level.empty() && !top_level.front().empty() &&
      top_level.front()[0] != '-') {
    prefix = "fisheropt";  // "fisheropt banana fit ...": banana is the error
    text = "unknown command '" + top_level.front() +
           "'; commands: " + command_list;
  } else if (commands.empty() &&
             dynamic_cast<const CLI::RequiredError*>(&error)) {
    if (first.empty()) {
      text = "no command given; commands: " + command_list +
             " (fisheropt --help describes them)";
    } else if (first[0] == '-') {
      text = "unknown option '" + first + "'; commands: " + command_list;
    } else {
      text = "unknown command '" + first + "'; commands: " + command_list;
    }
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error) && !first.empty()) {
    text = (first[0] == '-' ? "unknown option '" : "unexpected argument '") +
           first + "'; see '" + prefix + " --help'";
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
    // A repeated option, or an option at the end without its value
    // (CLI11: "--data: 1 required TEXT missing").
    if (const CLI::Option* option = RepeatedOption(app)) {
      text = option->get_name() + " is given " +
             std::to_string(option->count()) + " times; give it once";
    } else if (text.size() > 8 &&
               text.compare(text.size() - 8, 8, " missing") == 0 &&
               text.find(": ") != std::string::npos) {
      text = text.substr(0, text.find(": ")) + " needs a value";
    }
  } else if (dynamic_cast<const CLI::ValidationError*>(&error)) {
    const size_t colon = text.find(": ");
    if (colon != std::string::npos) text.erase(colon, 1);
  } else if (dynamic_cast<const CLI::ConversionError*>(&error)) {
    // The numeric options without a validator of their own (--start,
    // --seed, --samples, ...). CLI11: "Could not convert: --seed = abc".
    const std::string lead = "Could not convert: ";
    const size_t equals = text.find(" = ");
    if (text.rfind(lead, 0) == 0 && equals != std::string::npos) {
      const std::string name = text.substr(lead.size(), equals - lead.size());
      const CLI::App* command = commands.empty() ? &app : commands.front();
      const CLI::Option* option = command->get_option_no_throw(name);
      const std::string type = option ? option->get_type_name() : "";
      const std::string kind = type == "INT" || type == "UINT"
                                   ? "a whole number"
                               : type == "FLOAT" ? "a number"
                                                 : "a valid value";
      text = name + " must be " + kind + " in range, not '" +
             text.substr(equals + 3) + "'";
    }
  }
  return prefix + ": " + OneLine(text) + "\n";
}

}  // namespace

int ParseCommandLine(int argc, const char* const* argv,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err) {
  return ParseCommandLine(argc, argv,
                          std::vector<RegisterCommandFunction>(
                              std::begin(kCommands), std::end(kCommands)),
                          command_line, out, err);
}

int ParseCommandLine(int argc, const char* const* argv,
                     const std::vector<RegisterCommandFunction>& commands,
                     CommandLine* command_line, std::ostream& out,
                     std::ostream& err) {
  *command_line = CommandLine();
  CLI::App app{"fisheropt: second-order optimization with Fisher information"};
  app.require_subcommand(1);
  // A single-valued option given twice is an error, not "the last one
  // wins" (set before the subcommands, which inherit it).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::Throw);
  app.set_version_flag("-V,--version", "fisheropt " FISHEROPT_VERSION);
  std::vector<RegisteredCommand> registered;
  std::string command_list;
  for (const RegisterCommandFunction register_command : commands) {
    registered.push_back(register_command(&app, command_line));
    registered.back()
        .subcommand
        ->add_option("--threads", command_line->threads,
                     "threads of the parallel passes (default: "
                     "OMP_NUM_THREADS, or one per core); results do not "
                     "depend on it")
        ->check(WholeNumber(1, 1024));
    command_list += (command_list.empty() ? "" : ", ") +
                    registered.back().subcommand->get_name();
  }
  app.failure_message(
      [command_list](const CLI::App* failed, const CLI::Error& error) {
        return UsageMessage(*failed, error, command_list);
      });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version: the text on `out`, status 0. Anything else: the one
    // line of UsageMessage on `err`, status 2 (not CLI11's 100-127).
    const int status = app.exit(e, out, err);
    return status == 0 ? 0 : kUsageErrorStatus;
  }
  std::string call = "fisheropt";
  for (int i = 1; i < argc; ++i) call += std::string(" ") + argv[i];
  for (const RegisteredCommand& command : registered) {
    if (!command.subcommand->parsed()) continue;
    command_line->command = command.command;
    command_line->run = command.run;
    std::string error;
    if (command.finish && !command.finish(call, &error)) {
      err << "fisheropt " << command.subcommand->get_name() << ": "
          << OneLine(error) << "\n";
      return kUsageErrorStatus;
    }
    return -1;
  }
  err << "fisheropt: no command given\n";  // not reached: CLI11 requires one
  return kUsageErrorStatus;
}

int RunCommandLine(const CommandLine& command_line, std::ostream& out,
                   std::ostream& err) {
  if (!command_line.run) return 1;
  if (command_line.threads > 0) SetNumThreads(command_line.threads);
  return command_line.run(command_line, out, err);
}

}  // namespace fisheropt
