// The bad-input corpus (tests/bad_inputs/cases.txt): every case runs the
// real `fisheropt` executable, as a user would, under `timeout`, and must
// finish in time without a crash or a sanitizer report, with the expected
// exit status and message. In the sanitizer build (scripts/test) the
// executable is the sanitized one.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fisheropt {
namespace {

constexpr int kTimeoutSeconds = 10;

struct BadInputCase {
  std::string name;
  int exit_status = 0;
  std::string expected_text;
  std::vector<std::string> arguments;
};

// gtest prints the parameter of a failing case: its name, not its bytes.
void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> SplitFields(const std::string& line) {
  std::vector<std::string> fields;
  size_t begin = 0;
  while (true) {
    const size_t end = line.find(" | ", begin);
    fields.push_back(Trim(line.substr(begin, end - begin)));
    if (end == std::string::npos) break;
    begin = end + 3;
  }
  // "name | 106 | text |": no arguments.
  if (!fields.empty() && fields.back().size() >= 2 &&
      fields.back().compare(fields.back().size() - 2, 2, " |") == 0) {
    fields.back() = Trim(fields.back().substr(0, fields.back().size() - 2));
    fields.push_back("");
  }
  return fields;
}

// Reads the manifest; a malformed line becomes a case that fails.
std::vector<BadInputCase> ReadCases() {
  const std::string directory = FISHEROPT_BAD_INPUTS_DIR;
  std::vector<BadInputCase> cases;
  std::ifstream manifest(directory + "/cases.txt");
  if (!manifest) {
    cases.push_back({"manifest_not_found", -1, directory + "/cases.txt", {}});
    return cases;
  }
  std::string line;
  while (std::getline(manifest, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = SplitFields(line);
    BadInputCase c;
    if (fields.size() != 4) {
      cases.push_back({"malformed_manifest_line", -1, line, {}});
      continue;
    }
    c.name = fields[0];
    c.exit_status = std::atoi(fields[1].c_str());
    c.expected_text = fields[2];
    std::istringstream words(fields[3]);
    for (std::string word; words >> word;) {
      for (size_t at = word.find("{dir}"); at != std::string::npos;
           at = word.find("{dir}")) {
        word.replace(at, 5, directory);
      }
      c.arguments.push_back(word);  // {tmp}: replaced when the case runs
    }
    cases.push_back(c);
  }
  return cases;
}

std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

class BadInputTest : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(BadInputTest, FailsCleanlyWithTheExpectedMessage) {
  const BadInputCase& c = GetParam();
  ASSERT_GE(c.exit_status, 0) << c.name << ": " << c.expected_text;
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() /
      ("fisheropt_bad_input_" + std::to_string(getpid()) + "_" + c.name);
  std::filesystem::create_directories(directory);
  std::vector<std::string> arguments = c.arguments;
  for (std::string& argument : arguments) {
    for (size_t at = argument.find("{tmp}"); at != std::string::npos;
         at = argument.find("{tmp}")) {
      argument.replace(at, 5, directory.string());
    }
  }
  // A sanitizer report aborts (status >= 128) instead of exiting 1, which
  // could pass for a rejected input.
  std::string command =
      "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:abort_on_error=1\" "
      "UBSAN_OPTIONS=\"${UBSAN_OPTIONS:-}:halt_on_error=1:abort_on_error=1\" "
      "OMP_NUM_THREADS=1 timeout " +
      std::to_string(kTimeoutSeconds) + " " + ShellQuote(FISHEROPT_EXECUTABLE);
  for (const std::string& argument : arguments) {
    command += " " + ShellQuote(argument);
  }
  command += " > " + ShellQuote((directory / "stdout.txt").string()) + " 2> " +
             ShellQuote((directory / "stderr.txt").string()) + " < /dev/null";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const std::string out = ReadFile(directory / "stdout.txt");
  const std::string err = ReadFile(directory / "stderr.txt");
  std::filesystem::remove_all(directory);

  SCOPED_TRACE(c.name + ": " + command + "\nstderr:\n" + err);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  const int exit_status = WEXITSTATUS(status);
  ASSERT_NE(exit_status, 124)
      << "did not finish in " << kTimeoutSeconds << " s";
  EXPECT_LT(exit_status, 128) << "crashed (signal " << exit_status - 128 << ")";
  EXPECT_LT(seconds, kTimeoutSeconds);
  EXPECT_EQ(err.find("Sanitizer"), std::string::npos);
  EXPECT_EQ(err.find("runtime error:"), std::string::npos);
  EXPECT_EQ(exit_status, c.exit_status);
  EXPECT_TRUE(err.find(c.expected_text) != std::string::npos ||
              out.find(c.expected_text) != std::string::npos)
      << "expected text: " << c.expected_text << "\nstdout:\n"
      << out.substr(0, 2000);
  if (c.exit_status == 1 || c.exit_status == 2) {
    // A rejected input, a failed write or a usage error: one line on
    // stderr, nothing on stdout.
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
    EXPECT_TRUE(out.empty()) << out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadInputTest, ::testing::ValuesIn(ReadCases()),
    [](const ::testing::TestParamInfo<BadInputCase>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name + "_" + std::to_string(info.index);
    });

}  // namespace
}  // namespace fisheropt
