// libFuzzer target: the command line of the `fisheropt` executable
// (tools/command_line.h). The input is split into argv tokens at newlines
// (a corpus file holds one argument per line) after the program name, and
// parsed exactly as the executable parses it. Nothing long runs: `compare`,
// `check` and `nist` are only parsed and validated; `fit` runs, at most 20
// iterations, on a file of this process's temporary folder in place of
// whatever --data / --nist names: a 12-row CSV file or a 6-row synthetic
// NIST file written at start-up, or, when the --data argument contains a
// comma, that argument itself as the CSV text with ';' for newlines (so the
// fuzzer varies the data of a whole fit). --json and --trace write to that
// folder too, through the atomic writer, which must leave no temporary file.
// A usage error (status 2, from the parser or from a fit that finds an
// unknown name) and a failed fit (status 1) each print exactly one line on
// stderr.

#include <dirent.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/command_line.h"
#include "tools/optimizer_registry.h"

namespace {

std::string directory;
std::string csv_path;
std::string nist_path;
std::string fuzzed_csv_path;
std::string json_path;
std::string trace_path;

void RemoveFiles() {
  for (const std::string* path :
       {&csv_path, &nist_path, &fuzzed_csv_path, &json_path, &trace_path}) {
    std::remove(path->c_str());
  }
  rmdir(directory.c_str());
}

// 12 rows: a binary y, a count, a continuous response, two predictors, a
// text column and a missing cell.
const char kCsv[] =
    "y,count,z,x1,x2,label\n"
    "0,2,1.5,-1.1,0.3,a\n"
    "1,0,2.5,-0.9,NA,b\n"
    "0,1,0.7,-0.5,0.1,c\n"
    "1,3,3.1,-0.2,-0.4,d\n"
    "0,1,1.9,0.1,0.8,e\n"
    "1,0,2.2,0.3,-0.2,f\n"
    "1,4,4.0,0.6,0.5,g\n"
    "0,2,1.1,0.8,-0.9,h\n"
    "1,1,3.3,1.0,0.2,i\n"
    "1,5,2.8,1.2,-0.6,j\n"
    "0,3,0.9,1.5,0.7,k\n"
    "1,6,3.6,1.9,-0.1,l\n";

// The NIST StRD format, made-up data (fuzz/corpus/nist/).
const char kNist[] =
    "Dataset Name:  Misra1a  (synthetic)\n"
    "Model:         Exponential Class\n"
    "               2 Parameters (b1 and b2)\n"
    "               y = b1*(1-exp[-b2*x])  +  e\n"
    "          Starting values                  Certified Values\n"
    "  b1 =   500         250           2.0E+02  1.0E+00\n"
    "  b2 =     0.0001      0.0005      1.0E-03  1.0E-05\n"
    "Residual Sum of Squares:                    1.0E-02\n"
    "Residual Standard Deviation:                5.0E-02\n"
    "Degrees of Freedom:                                4\n"
    "Number of Observations:                            6\n"
    "Data:   y               x\n"
    "      19.1E0      100.0E0\n"
    "      36.2E0      200.0E0\n"
    "      51.9E0      300.0E0\n"
    "      65.9E0      400.0E0\n"
    "      78.7E0      500.0E0\n"
    "      90.2E0      600.0E0\n";

bool IsOneLine(const std::string& text) {
  return !text.empty() && text.back() == '\n' &&
         text.find('\n') == text.size() - 1;
}

// A file of WriteFileAtomically's (tools/output_file.h) in the scratch
// folder: one that a failed or successful write failed to remove.
bool HasTemporaryFile() {
  DIR* folder = opendir(directory.c_str());
  if (folder == nullptr) return false;
  bool found = false;
  while (const dirent* entry = readdir(folder)) {
    if (std::strstr(entry->d_name, ".fisheropt-tmp.") != nullptr) found = true;
  }
  closedir(folder);
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
      "/fisheropt_fuzz_cli_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  directory = pattern;
  csv_path = directory + "/data.csv";
  nist_path = directory + "/Misra1a.dat";
  fuzzed_csv_path = directory + "/fuzzed.csv";
  json_path = directory + "/fit.json";
  trace_path = directory + "/trace.csv";
  std::ofstream(csv_path) << kCsv;
  std::ofstream(nist_path) << kNist;
  std::atexit(RemoveFiles);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // At most 64 arguments: CLI11's work grows with the count, not the point.
  std::vector<std::string> tokens = {"fisheropt"};
  std::string token;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      tokens.push_back(token);
      token.clear();
      if (tokens.size() > 64) return 0;
    } else {
      token.push_back(static_cast<char>(data[i]));
    }
  }
  if (!token.empty()) tokens.push_back(token);
  std::vector<const char*> argv;
  for (const std::string& t : tokens) argv.push_back(t.c_str());
  argv.push_back(nullptr);

  fisheropt::CommandLine command_line;
  std::ostringstream out, err;
  const int status = fisheropt::ParseCommandLine(
      static_cast<int>(tokens.size()), argv.data(), &command_line, out, err);
  if (status >= 0) {
    // Help or the version (0), or a usage error (2) with exactly one line
    // on stderr.
    if (status != 0 && status != 2) std::abort();
    if (status == 2 && !IsOneLine(err.str())) std::abort();
    return 0;
  }

  std::string error;
  fisheropt::OptimizerSpec spec;
  switch (command_line.command) {
    case fisheropt::CommandLine::Command::kFit: {
      fisheropt::FitOptions& fit = command_line.fit;
      if (fit.data_path.find(',') != std::string::npos) {
        std::string text = fit.data_path;
        for (char& c : text) {
          if (c == ';') c = '\n';
        }
        std::ofstream(fuzzed_csv_path, std::ios::binary | std::ios::trunc)
            << text;
        fit.data_path = fuzzed_csv_path;
      } else if (!fit.data_path.empty()) {
        fit.data_path = csv_path;
      }
      if (!fit.nist_path.empty()) fit.nist_path = nist_path;
      if (!fit.json_path.empty()) fit.json_path = json_path;
      if (!fit.trace_path.empty()) fit.trace_path = trace_path;
      fit.verbose = false;
      if (fit.max_iterations > 20) fit.max_iterations = 20;
      const int fit_status = fisheropt::RunFit(fit, out, err);
      // 0: fitted; 1: the data or the fit failed; 2: a usage error only the
      // fit can see (an unknown --model, --optimizer or --covariance, no
      // --response). Both failures come with a one-line message.
      if (fit_status < 0 || fit_status > 2) std::abort();
      if (fit_status != 0 && !IsOneLine(err.str())) std::abort();
      // The atomic writer never leaves a temporary file after it returns.
      if (HasTemporaryFile()) std::abort();
      break;
    }
    case fisheropt::CommandLine::Command::kCheck:
      command_line.check.IsValid(&error);
      break;
    case fisheropt::CommandLine::Command::kCompare:
      command_line.compare.stopping.IsValid(&error);
      for (const std::string& name : command_line.compare.optimizers) {
        fisheropt::FindOptimizer(name, &spec, &error);
      }
      break;
    case fisheropt::CommandLine::Command::kNist:
      for (const std::string& name : command_line.nist.optimizers) {
        fisheropt::FindOptimizer(name, &spec, &error);
      }
      break;
    case fisheropt::CommandLine::Command::kPredict:
    case fisheropt::CommandLine::Command::kAnova:
      // Parsed only: their inputs are fits' JSON files the fuzzer does not
      // write (tests/bad_inputs/cases.txt runs them on bad files).
      break;
    case fisheropt::CommandLine::Command::kNone:
      std::abort();  // every command of kCommands (tools/commands.h) sets it
  }
  return 0;
}
