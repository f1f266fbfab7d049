// The command line of the fisheropt executable (tools/command_line.h),
// parsed without running anything.

#include "tools/command_line.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace fisheropt {
namespace {

class CommandLineTest : public ::testing::Test {
 protected:
  int Parse(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "fisheropt");
    std::vector<const char*> argv;
    for (const std::string& argument : arguments) {
      argv.push_back(argument.c_str());
    }
    out_.str("");
    err_.str("");
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data(),
                            &command_line_, out_, err_);
  }

  CommandLine command_line_;
  std::ostringstream out_, err_;
};

TEST_F(CommandLineTest, FitOptionsAreParsedNotRun) {
  ASSERT_EQ(Parse({"fit", "--data", "/nonexistent.csv", "--model", "probit",
                   "--response", "y", "--predictors", "a,b", "--no-intercept",
                   "--max-iterations", "7", "--json", "out.json"}),
            -1)
      << err_.str();
  EXPECT_EQ(command_line_.command, CommandLine::Command::kFit);
  const FitOptions& fit = command_line_.fit;
  EXPECT_EQ(fit.data_path, "/nonexistent.csv");
  EXPECT_EQ(fit.model, "probit");
  EXPECT_EQ(fit.predictors, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(fit.no_intercept);
  EXPECT_EQ(fit.max_iterations, 7);
  EXPECT_EQ(fit.json_path, "out.json");
  EXPECT_EQ(fit.call.rfind("fisheropt fit --data /nonexistent.csv", 0), 0u);
  EXPECT_TRUE(out_.str().empty());
  EXPECT_TRUE(err_.str().empty());
}

TEST_F(CommandLineTest, OtherCommands) {
  ASSERT_EQ(Parse({"compare", "--problem", "mvn", "logistic", "--optimizers",
                   "newton,fisher-lm"}),
            -1);
  EXPECT_EQ(command_line_.command, CommandLine::Command::kCompare);
  EXPECT_EQ(command_line_.compare.problems,
            (std::vector<std::string>{"mvn", "logistic"}));
  EXPECT_EQ(command_line_.compare.optimizers,
            (std::vector<std::string>{"newton", "fisher-lm"}));
  ASSERT_EQ(Parse({"check", "--model", "mvn", "--draws", "3"}), -1);
  EXPECT_EQ(command_line_.command, CommandLine::Command::kCheck);
  EXPECT_EQ(command_line_.check.draws, 3);
  ASSERT_EQ(Parse({"nist", "--dir", "d"}), -1);
  EXPECT_EQ(command_line_.command, CommandLine::Command::kNist);
  EXPECT_EQ(command_line_.nist.directory, "d");
}

TEST_F(CommandLineTest, HelpAndErrorsReturnCli11Statuses) {
  EXPECT_EQ(Parse({"--help"}), 0);
  EXPECT_NE(out_.str().find("Usage:"), std::string::npos);
  EXPECT_EQ(Parse({}), 106);  // CLI::RequiredError: no subcommand
  EXPECT_NE(err_.str().find("A subcommand is required"), std::string::npos);
  EXPECT_EQ(Parse({"fit", "--bogus"}), 109);  // CLI::ExtrasError
  EXPECT_NE(err_.str().find("--bogus"), std::string::npos);
  EXPECT_EQ(Parse({"fit", "--max-iterations", "x"}), 104);  // ConversionError
  EXPECT_EQ(Parse({"nist"}), 106);                          // --dir required
}

}  // namespace
}  // namespace fisheropt
