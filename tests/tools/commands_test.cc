// The commands of the fisheropt executable (tools/commands.h): the version,
// a command that registers itself with its options kept to itself, and the
// model names the commands show, which come from the model registry.

#include "tools/commands.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "problems/model_registry.h"
#include "stats/family_names.h"
#include "tools/command_options.h"

namespace fisheropt {
namespace {

const std::string kVersionLine =
    std::string("fisheropt ") + FISHEROPT_PROJECT_VERSION + "\n";

class CommandsTest : public ::testing::Test {
 protected:
  int Parse(std::vector<std::string> arguments,
            const std::vector<RegisterCommandFunction>& commands = {}) {
    arguments.insert(arguments.begin(), "fisheropt");
    std::vector<const char*> argv;
    for (const std::string& argument : arguments) {
      argv.push_back(argument.c_str());
    }
    out_.str("");
    err_.str("");
    const int argc = static_cast<int>(argv.size());
    return commands.empty()
               ? ParseCommandLine(argc, argv.data(), &command_line_, out_, err_)
               : ParseCommandLine(argc, argv.data(), commands, &command_line_,
                                  out_, err_);
  }

  CommandLine command_line_;
  std::ostringstream out_, err_;
};

TEST_F(CommandsTest, VersionIsTheProjectsVersion) {
  for (const char* flag : {"--version", "-V"}) {
    SCOPED_TRACE(flag);
    EXPECT_EQ(Parse({flag}), 0);
    EXPECT_EQ(out_.str(), kVersionLine);
    EXPECT_TRUE(err_.str().empty()) << err_.str();
  }
  EXPECT_EQ(Parse({"--help"}), 0);
  EXPECT_NE(out_.str().find("-V,--version"), std::string::npos) << out_.str();
}

TEST(CommandsExecutableTest, PrintsItsVersionWithStatusZero) {
  FILE* pipe = popen(FISHEROPT_EXECUTABLE " --version", "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[256];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) text += buffer;
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(text, kVersionLine);
}

// A command as a new file would write it: its options held by its `run`,
// nothing of it in CommandLine.
struct GreetOptions {
  std::string name = "world";
  int times = 1;
};

RegisteredCommand RegisterGreetCommand(CLI::App* app, CommandLine*) {
  auto options = std::make_shared<GreetOptions>();
  CLI::App* command = app->add_subcommand("greet", "Say hello");
  command->add_option("--name", options->name, "Whom to greet")
      ->capture_default_str();
  command->add_option("--times", options->times, "How often, >= 1")
      ->transform(WholeNumber(1, 3));
  RegisteredCommand registered;
  registered.subcommand = command;
  registered.finish = [options](const std::string&, std::string* error) {
    if (options->name.empty()) {
      *error = "--name is empty";
      return false;
    }
    return true;
  };
  registered.run = [options](const CommandLine&, std::ostream& out,
                             std::ostream&) {
    for (int i = 0; i < options->times; ++i) {
      out << "hello " << options->name << "\n";
    }
    return 0;
  };
  return registered;
}

TEST_F(CommandsTest, ACommandRegistersItselfAndKeepsItsOptions) {
  const std::vector<RegisterCommandFunction> commands = {RegisterCheckCommand,
                                                         RegisterGreetCommand};
  ASSERT_EQ(Parse({"greet", "--name", "Fisher", "--times", "2"}, commands), -1)
      << err_.str();
  EXPECT_EQ(command_line_.command, CommandLine::Command::kNone);
  // A copy runs the same command with the same options.
  const CommandLine copy = command_line_;
  std::ostringstream out, err;
  EXPECT_EQ(RunCommandLine(copy, out, err), 0);
  EXPECT_EQ(out.str(), "hello Fisher\nhello Fisher\n");
  EXPECT_TRUE(err.str().empty());

  // Its usage errors are one line with status 2, like every command's.
  EXPECT_EQ(Parse({"greet", "--times", "4"}, commands), 2);
  EXPECT_EQ(err_.str(),
            "fisheropt greet: --times must be a whole number from 1 to 3, "
            "not '4'\n");
  EXPECT_EQ(Parse({"greet", "--name", ""}, commands), 2);
  EXPECT_EQ(err_.str(), "fisheropt greet: --name is empty\n");
  EXPECT_EQ(Parse({"banana"}, commands), 2);
  EXPECT_EQ(err_.str(),
            "fisheropt: unknown command 'banana'; commands: check, greet\n");
  EXPECT_EQ(Parse({"--help"}, commands), 0);
  EXPECT_NE(out_.str().find("Say hello"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find("fit"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, EveryListedCommandHasItsSubcommandRunAndEnum) {
  std::vector<std::string> names;
  for (const RegisterCommandFunction register_command : kCommands) {
    CLI::App app;
    CommandLine command_line;
    const RegisteredCommand registered = register_command(&app, &command_line);
    ASSERT_NE(registered.subcommand, nullptr);
    EXPECT_TRUE(static_cast<bool>(registered.run));
    EXPECT_NE(registered.command, CommandLine::Command::kNone);
    names.push_back(registered.subcommand->get_name());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"compare", "check", "fit", "nist",
                                             "predict", "anova"}));
  EXPECT_EQ(Parse({"--bogus"}), 2);
  EXPECT_EQ(err_.str(), "fisheropt: unknown option '--bogus'; commands: " +
                            JoinNames(names) + "\n");
}

// The model names of --help and of the messages come from the registries
// (fit's GLMs from stats/family_names.h).
TEST_F(CommandsTest, ModelNamesComeFromTheRegistry) {
  ASSERT_EQ(Parse({"fit", "--help"}), 0);
  EXPECT_NE(out_.str().find(JoinNames(GlmFamilyNameList()) +
                            " (GLMs), multinomial (a text response) or mvn"),
            std::string::npos)
      << out_.str();
  ASSERT_EQ(Parse({"check", "--help"}), 0);
  EXPECT_NE(out_.str().find("Model: " + JoinNames(CheckModelNames())),
            std::string::npos)
      << out_.str();
  ASSERT_EQ(Parse({"compare", "--help"}), 0);
  EXPECT_NE(
      out_.str().find("(default: all): " + JoinNames(CatalogProblemNames())),
      std::string::npos)
      << out_.str();

  // fit: every GLM family (and its aliases) and mvn; no other model.
  FitOptions fit;
  fit.data_path = "/nonexistent.csv";
  std::ostringstream out, err;
  for (const std::string model : {"gaussian-regression", "softmax"}) {
    fit.model = model;
    err.str("");
    EXPECT_EQ(RunFit(fit, out, err), 2);
    EXPECT_EQ(err.str(),
              "fisheropt fit: unknown --model '" + model + "'; known models: " +
                  JoinNames(GlmFamilyNameList()) + ", multinomial, mvn\n");
  }
  for (const std::string model :
       {"cloglog", "bernoulli-cloglog", "Gamma", "quasipoisson", "mvn"}) {
    fit.model = model;
    err.str("");
    EXPECT_EQ(RunFit(fit, out, err), 1);  // the file, not the model
    EXPECT_NE(err.str().find("/nonexistent.csv"), std::string::npos)
        << err.str();
  }

  // compare --data: the GLM families.
  CompareOptions compare;
  compare.data_path = "/nonexistent.csv";
  compare.data_model = "mvn";
  ComparisonResult result;
  std::string error;
  EXPECT_FALSE(RunComparison(compare, &result, &error));
  EXPECT_EQ(error, "unknown --model 'mvn' for --data (a GLM family: " +
                       JoinNames(GlmFamilyNames()) + ")");
}

}  // namespace
}  // namespace fisheropt
