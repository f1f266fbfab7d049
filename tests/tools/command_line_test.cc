// The command line of the fisheropt executable (tools/command_line.h):
// parsed, and its usage errors; the checks of the output files; the options
// of a NIST fit, run.

#include "tools/command_line.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
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

TEST_F(CommandLineTest, NpyFitOptionsAndQuietAreParsed) {
  ASSERT_EQ(Parse({"fit", "--data", "/x.npy", "--response-data", "/y.npy",
                   "--model", "logistic", "-q"}),
            -1)
      << err_.str();
  EXPECT_EQ(command_line_.fit.data_path, "/x.npy");
  EXPECT_EQ(command_line_.fit.response_data_path, "/y.npy");
  EXPECT_TRUE(command_line_.fit.quiet);
  // The response file is an input: an output over it is refused.
  ASSERT_EQ(Parse({"fit", "--data", "/x.npy", "--response-data", "/y.npy",
                   "--quiet", "--json", "/y.npy"}),
            2);
  EXPECT_NE(err_.str().find("--response-data"), std::string::npos)
      << err_.str();
}

// --threads belongs to every command and sets the library's thread count
// when the command runs (not when it is parsed).
TEST_F(CommandLineTest, EveryCommandTakesThreads) {
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"compare", "--threads", "3"},
        std::vector<std::string>{"check", "--threads", "3"},
        std::vector<std::string>{"nist", "--dir", ".", "--threads", "3"},
        std::vector<std::string>{"fit", "--data", "d.csv", "--response", "y",
                                 "--threads", "3"}}) {
    ASSERT_EQ(Parse(arguments), -1) << arguments[0] << ": " << err_.str();
    EXPECT_EQ(command_line_.threads, 3) << arguments[0];
  }
  EXPECT_EQ(Parse({"check"}), -1);
  EXPECT_EQ(command_line_.threads, 0);
  EXPECT_EQ(Parse({"check", "--threads", "1025"}), 2);
  EXPECT_EQ(err_.str(),
            "fisheropt check: --threads must be a whole number from 1 to "
            "1024, not '1025'\n");
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

TEST_F(CommandLineTest, HelpIsTheFullTextWithStatusZero) {
  EXPECT_EQ(Parse({"--help"}), 0);
  EXPECT_NE(out_.str().find("Usage:"), std::string::npos);
  for (const char* command : {"compare", "check", "fit", "nist"}) {
    EXPECT_NE(out_.str().find(command), std::string::npos) << command;
  }
  EXPECT_EQ(Parse({"fit", "--help"}), 0);
  EXPECT_NE(out_.str().find("--max-iterations INT=100"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("--json FILE"), std::string::npos) << out_.str();
  EXPECT_TRUE(err_.str().empty()) << err_.str();
}

// Every usage error: status 2, exactly this one line on stderr, nothing on
// stdout.
TEST_F(CommandLineTest, UsageErrorsAreOneLineWithStatusTwo) {
  const std::string commands =
      "commands: compare, check, fit, nist, predict, anova";
  const std::string bad_iterations =
      "must be a whole number from 1 to 2147483647, not '";
  const std::string bad_tolerance =
      "' (the fit stops when an iteration changes the negative "
      "log-likelihood by at most this fraction of it; default 1e-12)";
  const struct {
    std::vector<std::string> arguments;
    std::string message;
  } cases[] = {
      {{"banana"}, "fisheropt: unknown command 'banana'; " + commands},
      {{"banana", "fit"}, "fisheropt: unknown command 'banana'; " + commands},
      {{},
       "fisheropt: no command given; " + commands +
           " (fisheropt --help describes them)"},
      {{"--bogus"}, "fisheropt: unknown option '--bogus'; " + commands},
      {{"fit", "--bogus"},
       "fisheropt fit: unknown option '--bogus'; see 'fisheropt fit --help'"},
      {{"fit", "--data", "d.csv", "extra"},
       "fisheropt fit: unexpected argument 'extra'; see 'fisheropt fit "
       "--help'"},
      {{"fit", "--data", "d.csv", "--max-iterations", "abc"},
       "fisheropt fit: --max-iterations " + bad_iterations + "abc'"},
      {{"fit", "--data", "d.csv", "--max-iterations", "1e99"},
       "fisheropt fit: --max-iterations " + bad_iterations + "1e99'"},
      {{"fit", "--data", "d.csv", "--max-iterations", "4294967297"},
       "fisheropt fit: --max-iterations " + bad_iterations + "4294967297'"},
      {{"fit", "--data", "d.csv", "--max-iterations", "-1"},
       "fisheropt fit: --max-iterations " + bad_iterations + "-1'"},
      {{"fit", "--data", "d.csv", "--max-iterations", "0"},
       "fisheropt fit: --max-iterations " + bad_iterations + "0'"},
      {{"fit", "--data", "d.csv", "--max-iterations", " 5"},
       "fisheropt fit: --max-iterations " + bad_iterations + " 5'"},
      {{"fit", "--nist", "n.dat", "--start", "abc"},
       "fisheropt fit: --start must be a whole number in range, not 'abc'"},
      {{"check", "--perturbation", "x"},
       "fisheropt check: --perturbation must be a number in range, not 'x'"},
      {{"compare", "--max-iterations", "0"},
       "fisheropt compare: --max-iterations " + bad_iterations + "0'"},
      {{"fit", "--data", "d.csv", "--max-iterations"},
       "fisheropt fit: --max-iterations needs a value"},
      {{"fit", "--data", "d.csv", "--tolerance", "abc"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not 'abc" +
           bad_tolerance},
      {{"fit", "--data", "d.csv", "--tolerance", "inf"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not 'inf" +
           bad_tolerance},
      {{"fit", "--data", "d.csv", "--tolerance", "nan"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not 'nan" +
           bad_tolerance},
      {{"fit", "--data", "d.csv", "--tolerance", "1"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not '1" +
           bad_tolerance},
      {{"fit", "--data", "d.csv", "--tolerance", "0"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not '0" +
           bad_tolerance},
      {{"fit", "--data", "d.csv", "--tolerance", "1e-400"},
       "fisheropt fit: --tolerance must be a number > 0 and < 1, not '1e-400" +
           bad_tolerance},
      {{"fit", "--model", "probit", "--model", "logistic", "--data", "d.csv"},
       "fisheropt fit: --model is given 2 times; give it once"},
      {{"fit", "--data", "a.csv", "--data", "b.csv"},
       "fisheropt fit: --data is given 2 times; give it once"},
      {{"nist"}, "fisheropt nist: --dir is required"},
      {{"fit"},
       "fisheropt fit: give exactly one of --data FILE.csv and --nist "
       "FILE.dat"},
      {{"fit", "--data", "d.csv", "--nist", "n.dat"},
       "fisheropt fit: give exactly one of --data FILE.csv and --nist "
       "FILE.dat"},
      {{"fit", "--data", "d.csv", "--json", ""},
       "fisheropt fit: --json needs a file name"},
      {{"fit", "--data", "d.csv", "--trace", ""},
       "fisheropt fit: --trace needs a file name"},
      {{"fit", "--data", ""}, "fisheropt fit: --data needs a file name"},
      {{"fit", "--data", "d.csv", "--bad\nname"},
       "fisheropt fit: unknown option '--bad\\x0aname'; see 'fisheropt fit "
       "--help'"},
  };
  for (const auto& c : cases) {
    std::string shown;
    for (const std::string& argument : c.arguments) shown += argument + " ";
    SCOPED_TRACE(shown);
    EXPECT_EQ(Parse(c.arguments), 2);
    EXPECT_EQ(err_.str(), c.message + "\n");
    EXPECT_TRUE(out_.str().empty()) << out_.str();
  }
}

TEST_F(CommandLineTest, NumbersAreReadAsWritten) {
  ASSERT_EQ(Parse({"fit", "--data", "d.csv", "--max-iterations", "010",
                   "--tolerance", "1e-8"}),
            -1)
      << err_.str();
  EXPECT_EQ(command_line_.fit.max_iterations, 10);  // decimal, not octal
  EXPECT_EQ(command_line_.fit.tolerance, 1e-8);
  ASSERT_EQ(Parse({"fit", "--data", "d.csv", "--max-iterations", "2147483647",
                   "--tolerance", "0.5"}),
            -1)
      << err_.str();
  EXPECT_EQ(command_line_.fit.max_iterations, 2147483647);
  EXPECT_EQ(command_line_.fit.tolerance, 0.5);
}

// `fit --nist` is held to NIST's limits unless the options say otherwise;
// then the options apply (they were ignored: max(1000, N), tolerance 1e-15).
TEST_F(CommandLineTest, NistFitsGetNistDefaultsAndHonourTheOptions) {
  ASSERT_EQ(Parse({"fit", "--nist", "Misra1a.dat"}), -1) << err_.str();
  EXPECT_EQ(command_line_.fit.max_iterations, 1000);
  EXPECT_EQ(command_line_.fit.tolerance, 1e-15);
  ASSERT_EQ(Parse({"fit", "--data", "d.csv"}), -1) << err_.str();
  EXPECT_EQ(command_line_.fit.max_iterations, 100);
  EXPECT_EQ(command_line_.fit.tolerance, 1e-12);
  ASSERT_EQ(Parse({"fit", "--nist", "Misra1a.dat", "--max-iterations", "2",
                   "--tolerance", "1e-3"}),
            -1)
      << err_.str();
  EXPECT_EQ(command_line_.fit.max_iterations, 2);
  EXPECT_EQ(command_line_.fit.tolerance, 1e-3);

  // Run: the limit of 2 iterations stops the fit of the synthetic Misra1a
  // (70 iterations from start 1 with the defaults).
  const std::string data = std::string(FISHEROPT_BAD_INPUTS_DIR) + "/valid.dat";
  const std::string json =
      (std::filesystem::path(::testing::TempDir()) /
       ("command_line_nist_" + std::to_string(getpid()) + ".json"))
          .string();
  ASSERT_EQ(
      Parse({"fit", "--nist", data, "--max-iterations", "2", "--json", json}),
      -1)
      << err_.str();
  std::ostringstream out, err;
  ASSERT_EQ(RunCommandLine(command_line_, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("NO_CONVERGENCE after 2 iterations"),
            std::string::npos)
      << out.str();
  EXPECT_TRUE(err.str().empty()) << err.str();
  std::ifstream file(json);
  const nlohmann::json fitted = nlohmann::json::parse(file);
  EXPECT_EQ(fitted["iterations"], 2);
  EXPECT_EQ(fitted["termination"], "NO_CONVERGENCE");
  std::filesystem::remove(json);

  // A loose tolerance applies, and is warned about on stderr.
  ASSERT_EQ(Parse({"fit", "--nist", data, "--tolerance", "1e-3"}), -1);
  out.str("");
  err.str("");
  ASSERT_EQ(RunCommandLine(command_line_, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("<= 0.001"), std::string::npos) << out.str();
  EXPECT_EQ(err.str(),
            "fisheropt fit: warning: --tolerance 0.001 is loose (above "
            "1e-06): the fit may have stopped before the estimates "
            "converged\n");
}

// Outputs that name an input or each other are refused before any work,
// whatever the spelling (tools/output_file.h has the unit tests).
class CommandLineFilesTest : public CommandLineTest {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::path(::testing::TempDir()) /
                 ("command_line_files_" + std::to_string(getpid()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_ / "sub");
    data_ = (directory_ / "data.csv").string();
    std::ofstream(data_) << "y,x\n0,1\n1,2\n";
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
  std::string data_;
};

TEST_F(CommandLineFilesTest, OutputsThatAreInputsOrEachOtherAreRefused) {
  std::filesystem::create_hard_link(data_, directory_ / "hard_link.csv");
  std::filesystem::create_symlink(data_, directory_ / "symbolic_link.csv");
  const std::string d = directory_.string();
  const struct {
    std::vector<std::string> arguments;
    std::string message;
  } cases[] = {
      {{"--json", data_},
       "--json '" + data_ + "' is the same file as --data '" + data_ +
           "'; refusing to overwrite an input"},
      {{"--trace", d + "/sub/../data.csv"},
       "--trace '" + d + "/sub/../data.csv' is the same file as --data '" +
           data_ + "'; refusing to overwrite an input"},
      {{"--json", d + "/hard_link.csv"},
       "--json '" + d + "/hard_link.csv' is the same file as --data '" + data_ +
           "'; refusing to overwrite an input"},
      {{"--json", d + "/symbolic_link.csv"},
       "--json '" + d + "/symbolic_link.csv' is the same file as --data '" +
           data_ + "'; refusing to overwrite an input"},
      {{"--json", d + "/out.json", "--trace", d + "/./out.json"},
       "--trace '" + d + "/./out.json' is the same file as --json '" + d +
           "/out.json'; give each output its own file"},
      {{"--json", d + "/sub"},
       "--json '" + d +
           "/sub' is a folder; give a "
           "file name"},
      {{"--trace", d + "/missing/trace.csv"},
       "--trace '" + d + "/missing/trace.csv': the folder '" + d +
           "/missing' does not exist or is not a folder"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> arguments = {"fit", "--data", data_};
    arguments.insert(arguments.end(), c.arguments.begin(), c.arguments.end());
    SCOPED_TRACE(c.message);
    EXPECT_EQ(Parse(arguments), 2);
    EXPECT_EQ(err_.str(), "fisheropt fit: " + c.message + "\n");
  }
  // Devices are exempt: writing to them replaces nothing.
  EXPECT_EQ(Parse({"fit", "--data", data_, "--json", "/dev/null", "--trace",
                   "/dev/null"}),
            -1)
      << err_.str();
  EXPECT_EQ(Parse({"fit", "--data", data_, "--json", d + "/out.json", "--trace",
                   d + "/sub/out.json"}),
            -1)
      << err_.str();
  // The data file is refused as an output of `compare --out` too.
  std::ofstream(directory_ / "sub" / "traces_data.csv") << "y,x\n0,1\n1,2\n";
  const std::string trace_data = d + "/sub/traces_data.csv";
  EXPECT_EQ(Parse({"compare", "--data", trace_data, "--out", d + "/sub"}), 2);
  EXPECT_EQ(err_.str(), "fisheropt compare: --data '" + trace_data +
                            "' is the same file as '" + trace_data +
                            "', which --out writes; refusing to overwrite an "
                            "input\n");
  EXPECT_EQ(Parse({"compare", "--data", data_, "--out", d + "/sub"}), -1)
      << err_.str();
  EXPECT_EQ(Parse({"compare", "--out", d + "/new_folder"}), -1) << err_.str();
  EXPECT_EQ(Parse({"compare", "--out", data_}), 2);
  EXPECT_EQ(err_.str(), "fisheropt compare: --out '" + data_ +
                            "' is a file, not a folder\n");
}

}  // namespace
}  // namespace fisheropt
