// The output files of `fisheropt` (tools/output_file.h): the atomic writer
// and the same-file checks as units, then through the real executable: a
// full device is a one-line error, and a run killed (SIGKILL) at any moment
// leaves each output file old or complete.

#include "tools/output_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace fisheropt {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> NamesIn(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

mode_t PermissionBits(const fs::path& path) {
  struct stat status;
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 07777;
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        fs::path(::testing::TempDir()) /
        ("output_file_" + std::to_string(getpid()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::string Path(const std::string& name) const {
    return (directory_ / name).string();
  }

  // The names in the test's folder, sorted: a temporary file left behind
  // shows up here.
  std::vector<std::string> Names() const { return NamesIn(directory_); }

  fs::path directory_;
  std::string error_;
};

using NameList = std::vector<std::string>;

TEST_F(OutputFileTest, WritesANewFileWithTheUmasksMode) {
  const mode_t saved = ::umask(027);
  const bool written = WriteFileAtomically(Path("out.json"), "{}\n", &error_);
  ::umask(saved);
  ASSERT_TRUE(written) << error_;
  EXPECT_EQ(ReadFile(Path("out.json")), "{}\n");
  EXPECT_EQ(PermissionBits(Path("out.json")), 0640u);
  EXPECT_EQ(Names(), NameList{"out.json"});
  ASSERT_TRUE(WriteFileAtomically(Path("empty.txt"), "", &error_)) << error_;
  EXPECT_EQ(ReadFile(Path("empty.txt")), "");
}

// A new inode under the old name: the old file was never opened for
// writing, so no reader (and no crash) can see it half-written.
TEST_F(OutputFileTest, ReplacesAnExistingFileByRenamingKeepingItsMode) {
  WriteFile(Path("out.json"), "old contents, longer than the new ones\n");
  ASSERT_EQ(::chmod(Path("out.json").c_str(), 0604), 0);
  struct stat before;
  ASSERT_EQ(::stat(Path("out.json").c_str(), &before), 0);
  ASSERT_TRUE(WriteFileAtomically(Path("out.json"), "new\n", &error_))
      << error_;
  EXPECT_EQ(ReadFile(Path("out.json")), "new\n");
  EXPECT_EQ(PermissionBits(Path("out.json")), 0604u);
  struct stat after;
  ASSERT_EQ(::stat(Path("out.json").c_str(), &after), 0);
  EXPECT_NE(after.st_ino, before.st_ino);
  EXPECT_EQ(Names(), NameList{"out.json"});
}

// Sets a file-size limit for this process (with SIGXFSZ ignored, a write
// beyond it fails with EFBIG instead of killing the process): a real failed
// write to a regular file, which running as root cannot get from a
// read-only folder.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_limit_);
    saved_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = saved_limit_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_limit_);
    ::signal(SIGXFSZ, saved_handler_);
  }

 private:
  struct rlimit saved_limit_;
  void (*saved_handler_)(int);
};

TEST_F(OutputFileTest, AFailedWriteKeepsTheOldFileAndRemovesTheTemporary) {
  const std::string old_text = "{\"old\": true}\n";
  WriteFile(Path("out.json"), old_text);
  bool written;
  {
    FileSizeLimit limit(1024);
    written =
        WriteFileAtomically(Path("out.json"), std::string(4096, 'x'), &error_);
  }
  EXPECT_FALSE(written);
  EXPECT_EQ(error_, "cannot write '" + Path("out.json") + "': File too large");
  EXPECT_EQ(ReadFile(Path("out.json")), old_text);
  EXPECT_EQ(Names(), NameList{"out.json"});
}

TEST_F(OutputFileTest, AFullDeviceIsAnErrorForSmallAndLargeTexts) {
  struct stat status;
  if (::stat("/dev/full", &status) != 0 || !S_ISCHR(status.st_mode)) {
    GTEST_SKIP() << "no /dev/full";
  }
  for (const size_t size : {size_t{1}, size_t{1000}, size_t{1} << 20}) {
    EXPECT_FALSE(
        WriteFileAtomically("/dev/full", std::string(size, 'x'), &error_));
    EXPECT_EQ(error_, "cannot write '/dev/full': No space left on device");
  }
  // Still the device: written in place, never renamed over.
  ASSERT_EQ(::stat("/dev/full", &status), 0);
  EXPECT_TRUE(S_ISCHR(status.st_mode));
  EXPECT_TRUE(WriteFileAtomically("/dev/null", "discarded\n", &error_))
      << error_;
}

TEST_F(OutputFileTest, FoldersAndMissingFoldersAreErrorsWithTheReason) {
  WriteFile(Path("file.txt"), "a file, not a folder\n");
  EXPECT_FALSE(WriteFileAtomically(directory_.string(), "x", &error_));
  EXPECT_EQ(error_,
            "cannot write '" + directory_.string() + "': Is a directory");
  EXPECT_FALSE(WriteFileAtomically(Path("missing/out.json"), "x", &error_));
  EXPECT_EQ(error_, "cannot write '" + Path("missing/out.json") +
                        "': No such file or directory");
  EXPECT_FALSE(WriteFileAtomically(Path("file.txt/out.json"), "x", &error_));
  EXPECT_EQ(error_, "cannot write '" + Path("file.txt/out.json") +
                        "': Not a directory");
  EXPECT_FALSE(WriteFileAtomically("", "x", &error_));
  EXPECT_EQ(error_, "cannot write a file with an empty name");
  EXPECT_EQ(Names(), NameList{"file.txt"});
}

TEST_F(OutputFileTest, ASymbolicLinkIsFollowedAndKept) {
  WriteFile(Path("target.json"), "old\n");
  fs::create_symlink("target.json", Path("link.json"));
  ASSERT_TRUE(WriteFileAtomically(Path("link.json"), "new\n", &error_))
      << error_;
  EXPECT_TRUE(fs::is_symlink(Path("link.json")));
  EXPECT_EQ(ReadFile(Path("target.json")), "new\n");
  EXPECT_EQ(Names(), (NameList{"link.json", "target.json"}));

  fs::create_symlink("nowhere.json", Path("dangling.json"));
  EXPECT_FALSE(WriteFileAtomically(Path("dangling.json"), "x", &error_));
  EXPECT_EQ(error_, "cannot write '" + Path("dangling.json") +
                        "': No such file or directory (a dangling symbolic "
                        "link)");
}

// A FIFO cannot be renamed over (its reader would never see the text): it
// is written in place and stays a FIFO.
TEST_F(OutputFileTest, AFifoIsWrittenInPlace) {
  ASSERT_EQ(::mkfifo(Path("pipe").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = ReadFile(Path("pipe")); });
  const std::string text(100000, 'y');
  const bool written = WriteFileAtomically(Path("pipe"), text, &error_);
  reader.join();
  EXPECT_TRUE(written) << error_;
  EXPECT_EQ(received, text);
  EXPECT_TRUE(fs::is_fifo(Path("pipe")));
}

TEST_F(OutputFileTest, TemporaryNamesAreRecognizablyOurs) {
  EXPECT_EQ(TemporaryFilePrefix("/a/b/fit.json"), ".fit.json.fisheropt-tmp.");
  EXPECT_EQ(TemporaryFilePrefix("trace.csv"), ".trace.csv.fisheropt-tmp.");
  // Cut, so that the temporary name stays within NAME_MAX.
  const std::string long_name(250, 'n');
  EXPECT_EQ(TemporaryFilePrefix(long_name),
            "." + std::string(200, 'n') + ".fisheropt-tmp.");
  ASSERT_TRUE(WriteFileAtomically(Path(long_name), "long\n", &error_))
      << error_;
  EXPECT_EQ(ReadFile(Path(long_name)), "long\n");
}

TEST_F(OutputFileTest, SameFileByInodeOrByNormalizedPath) {
  WriteFile(Path("a.csv"), "y\n1\n");
  WriteFile(Path("b.csv"), "y\n1\n");  // same contents, another file
  fs::create_directories(directory_ / "sub");
  fs::create_hard_link(Path("a.csv"), Path("hard.csv"));
  fs::create_symlink(Path("a.csv"), Path("soft.csv"));
  EXPECT_TRUE(IsSameFile(Path("a.csv"), Path("a.csv")));
  EXPECT_TRUE(IsSameFile(Path("a.csv"), Path("hard.csv")));
  EXPECT_TRUE(IsSameFile(Path("a.csv"), Path("soft.csv")));
  EXPECT_TRUE(IsSameFile(Path("a.csv"), Path("./sub/../a.csv")));
  EXPECT_FALSE(IsSameFile(Path("a.csv"), Path("b.csv")));
  // Files that do not exist yet: the same normalized path.
  EXPECT_TRUE(IsSameFile(Path("new.json"), Path("sub/../new.json")));
  EXPECT_TRUE(IsSameFile(Path("new.json"), Path("./new.json")));
  EXPECT_FALSE(IsSameFile(Path("new.json"), Path("sub/new.json")));
  EXPECT_FALSE(IsSameFile(Path("new.json"), Path("a.csv")));
  // Relative and absolute spellings.
  const fs::path saved = fs::current_path();
  fs::current_path(directory_);
  EXPECT_TRUE(IsSameFile("a.csv", Path("a.csv")));
  EXPECT_TRUE(IsSameFile("new.json", Path("new.json")));
  fs::current_path(saved);
}

TEST_F(OutputFileTest, CheckOutputFilesNamesBothOptions) {
  WriteFile(Path("a.csv"), "y\n1\n");
  fs::create_directories(directory_ / "sub");
  EXPECT_TRUE(CheckOutputFiles({{"--data", Path("a.csv")}, {"--nist", ""}},
                               {{"--json", Path("out.json")}, {"--trace", ""}},
                               &error_))
      << error_;
  EXPECT_FALSE(CheckOutputFiles({{"--data", Path("a.csv")}},
                                {{"--json", Path("a.csv")}}, &error_));
  EXPECT_EQ(error_, "--json '" + Path("a.csv") +
                        "' is the same file as --data '" + Path("a.csv") +
                        "'; refusing to overwrite an input");
  EXPECT_FALSE(CheckOutputFiles(
      {}, {{"--json", Path("o.json")}, {"--trace", Path("sub/../o.json")}},
      &error_));
  EXPECT_EQ(error_, "--trace '" + Path("sub/../o.json") +
                        "' is the same file as --json '" + Path("o.json") +
                        "'; give each output its own file");
  // A device is exempt, even when it is also an input.
  EXPECT_TRUE(CheckOutputFiles(
      {{"--data", "/dev/null"}},
      {{"--json", "/dev/null"}, {"--trace", "/dev/null"}}, &error_))
      << error_;
  // A control character in a name is escaped: the message stays one line.
  EXPECT_FALSE(
      CheckOutputFiles({}, {{"--json", Path("no\nfolder/x.json")}}, &error_));
  EXPECT_EQ(error_.find('\n'), std::string::npos) << error_;
  EXPECT_NE(error_.find("no\\x0afolder"), std::string::npos) << error_;
}

// ---------------------------------------------------------------------------
// Through the executable.

struct Execution {
  bool exited = false;
  int exit_status = -1;
  bool killed = false;  // by our SIGKILL
  std::string out, err;
};

// Starts `fisheropt` with these arguments (single-threaded, stdout and
// stderr to files of `directory`).
pid_t Start(const std::vector<std::string>& arguments,
            const fs::path& directory) {
  std::vector<std::string> words = {FISHEROPT_EXECUTABLE};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment = {"OMP_NUM_THREADS=1"};
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::string(*variable).rfind("OMP_NUM_THREADS=", 0) != 0) {
      environment.push_back(*variable);
    }
  }
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1,
                                   (directory / "stdout.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2,
                                   (directory / "stderr.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(spawned, 0) << std::strerror(spawned);
  return spawned == 0 ? pid : -1;
}

Execution Finish(pid_t pid, const fs::path& directory) {
  Execution run;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exited = WIFEXITED(status);
  run.exit_status = run.exited ? WEXITSTATUS(status) : -1;
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run.out = ReadFile(directory / "stdout.txt");
  run.err = ReadFile(directory / "stderr.txt");
  return run;
}

class OutputFileExecutableTest : public OutputFileTest {
 protected:
  void SetUp() override {
    OutputFileTest::SetUp();
    logs_ = directory_ / "logs";
    outputs_ = directory_ / "outputs";
    fs::create_directories(logs_);
    fs::create_directories(outputs_);
  }

  Execution Execute(const std::vector<std::string>& arguments) {
    return Finish(Start(arguments, logs_), logs_);
  }

  // A logistic data set: `rows` rows, y and x1..x`columns`, from a fixed
  // seed.
  std::string LogisticCsv(int rows, int columns) {
    std::mt19937_64 random(20261206);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    std::string text = "y";
    for (int j = 1; j <= columns; ++j) text += ",x" + std::to_string(j);
    text += "\n";
    char cell[32];
    for (int i = 0; i < rows; ++i) {
      std::string row;
      double eta = 0.3;
      for (int j = 1; j <= columns; ++j) {
        const double x = normal(random);
        eta += (j % 2 == 0 ? 0.1 : -0.1) * x;
        std::snprintf(cell, sizeof(cell), ",%.6f", x);
        row += cell;
      }
      text += (uniform(random) < 1.0 / (1.0 + std::exp(-eta)) ? "1" : "0") +
              row + "\n";
    }
    const std::string path = Path("data.csv");
    WriteFile(path, text);
    return path;
  }

  fs::path logs_, outputs_;
};

// The full device: a failed write is one line naming the path and the
// reason, exit status 1, for each kind of fit and each output.
TEST_F(OutputFileExecutableTest, AFullDeviceIsOneLineAndStatusOne) {
  struct stat status;
  if (::stat("/dev/full", &status) != 0 || !S_ISCHR(status.st_mode)) {
    GTEST_SKIP() << "no /dev/full";
  }
  const std::string csv = LogisticCsv(50, 2);
  const std::string dat = std::string(FISHEROPT_BAD_INPUTS_DIR) + "/valid.dat";
  const std::vector<std::vector<std::string>> cases = {
      {"fit", "--data", csv, "--response", "y", "--json", "/dev/full"},
      {"fit", "--data", csv, "--model", "mvn", "--json", "/dev/full"},
      {"fit", "--nist", dat, "--start", "2", "--json", "/dev/full"},
      {"fit", "--data", csv, "--response", "y", "--trace", "/dev/full"},
      {"fit", "--nist", dat, "--start", "2", "--trace", "/dev/full"},
  };
  for (const std::vector<std::string>& arguments : cases) {
    std::string shown;
    for (const std::string& argument : arguments) shown += " " + argument;
    SCOPED_TRACE(shown);
    const Execution run = Execute(arguments);
    EXPECT_TRUE(run.exited);
    EXPECT_EQ(run.exit_status, 1);
    EXPECT_EQ(run.err,
              "fisheropt fit: cannot write '/dev/full': No space left on "
              "device\n");
    EXPECT_EQ(run.out, "");
  }
}

// A failed write to a regular file (over the file-size limit, inherited by
// the child) keeps the old file whole and leaves no temporary file.
TEST_F(OutputFileExecutableTest, AFailedWriteKeepsTheOldOutput) {
  const std::string csv = LogisticCsv(50, 2);
  const std::string json = (outputs_ / "fit.json").string();
  const std::string old_json = "{\"old\": true}\n";
  WriteFile(json, old_json);
  Execution run;
  {
    // The JSON of this fit is about 2.1 KB. Above 1 KiB: clang's OpenMP
    // runtime (libomp, in the sanitizer build) sizes a 1 KiB shared-memory
    // file when it starts, and aborts when the limit forbids it.
    FileSizeLimit limit(1536);
    run = Execute({"fit", "--data", csv, "--response", "y", "--json", json});
  }
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.err,
            "fisheropt fit: cannot write '" + json + "': File too large\n");
  EXPECT_EQ(ReadFile(json), old_json);
  EXPECT_EQ(NamesIn(outputs_), NameList{"fit.json"});
}

// Checks the files of the output folder after a run: each of fit.json and
// trace.csv is the old file or the complete new one (the JSON byte for byte
// as in an uninterrupted run; the trace with its header, every row and the
// final newline); the trace is never newer than the JSON (written first);
// any other file is one of our temporary files, which is removed. Returns
// {json is new, trace is new}.
struct Outcome {
  bool json_new = false;
  bool trace_new = false;
  int temporaries = 0;
};

Outcome CheckOutputs(const fs::path& folder, const std::string& old_json,
                     const std::string& old_trace, const std::string& new_json,
                     size_t trace_lines) {
  Outcome outcome;
  const std::string json = ReadFile(folder / "fit.json");
  const std::string trace = ReadFile(folder / "trace.csv");
  // Compared as booleans: a failure shows sizes, not 60 KB of JSON.
  if (json != old_json) {
    EXPECT_TRUE(json == new_json)
        << "fit.json is neither the old nor the new file: " << json.size()
        << " bytes (old " << old_json.size() << ", new " << new_json.size()
        << ")";
    EXPECT_NO_THROW(nlohmann::json::parse(json));
    outcome.json_new = true;
  }
  if (trace != old_trace) {
    const size_t lines = std::count(trace.begin(), trace.end(), '\n');
    EXPECT_TRUE(trace.rfind("iteration,time_seconds,nll,", 0) == 0 &&
                !trace.empty() && trace.back() == '\n' && lines == trace_lines)
        << "trace.csv is neither the old nor a complete new file: "
        << trace.size() << " bytes, " << lines << " lines (new: " << trace_lines
        << " lines)";
    EXPECT_TRUE(outcome.json_new) << "the trace was replaced before the JSON";
    outcome.trace_new = true;
  }
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name == "fit.json" || name == "trace.csv") continue;
    EXPECT_TRUE(name.rfind(TemporaryFilePrefix("fit.json"), 0) == 0 ||
                name.rfind(TemporaryFilePrefix("trace.csv"), 0) == 0)
        << "a file that is not ours: " << name;
    ++outcome.temporaries;
    fs::remove(entry.path());
  }
  return outcome;
}

// SIGKILL at random moments of runs that replace an existing --json and
// --trace. Half the kills come at a delay drawn over the whole run (most
// land in the computation, some after the end); the other half are aimed
// at the writing: the test watches the output folder (inotify) and kills at
// a log-uniform delay of 10 µs to 50 ms after the first event there (the
// creation of the first temporary file; writing both files, with their
// fsyncs, took 12 ms on ext4 on the development machine). A writer that
// truncates the old file before writing the new one fails this test (see the
// README).
TEST_F(OutputFileExecutableTest, AKilledRunLeavesTheOldOrTheCompleteNewFile) {
  const std::string csv = LogisticCsv(2000, 40);
  const std::string json = (outputs_ / "fit.json").string();
  const std::string trace = (outputs_ / "trace.csv").string();
  const std::vector<std::string> arguments = {"fit",        "--data",  csv,
                                              "--response", "y",       "--json",
                                              json,         "--trace", trace};
  const std::string old_json =
      "{\"old\": \"a valid JSON of an earlier run\"}\n";
  const std::string old_trace =
      "iteration,time_seconds,nll,gradient_max_norm,step_norm,damping,kl\n"
      "0,0,1,1,0,0,0\n";

  // Two uninterrupted runs: the new files, the duration, and no temporary
  // file left after a successful run.
  double duration = 0.0;
  std::string new_json;
  size_t trace_lines = 0;
  for (int i = 0; i < 2; ++i) {
    WriteFile(json, old_json);
    WriteFile(trace, old_trace);
    const auto start = std::chrono::steady_clock::now();
    const Execution run = Execute(arguments);
    duration = std::max(duration, std::chrono::duration<double>(
                                      std::chrono::steady_clock::now() - start)
                                      .count());
    ASSERT_EQ(run.exit_status, 0) << run.err;
    new_json = ReadFile(json);
    const std::string new_trace = ReadFile(trace);
    trace_lines = std::count(new_trace.begin(), new_trace.end(), '\n');
    ASSERT_NE(new_json, old_json);
    ASSERT_GT(trace_lines, 2u);
    const Outcome outcome =
        CheckOutputs(outputs_, old_json, old_trace, new_json, trace_lines);
    EXPECT_TRUE(outcome.json_new && outcome.trace_new);
    EXPECT_EQ(outcome.temporaries, 0) << "a successful run left a temporary";
  }

#if defined(__SANITIZE_ADDRESS__)
  constexpr int kRuns = 24;  // the sanitized executable is several times slower
#else
  constexpr int kRuns = 40;
#endif
  std::mt19937 random(20261206);
  std::uniform_real_distribution<double> over_the_run(0.0, 1.3 * duration);
  std::uniform_real_distribution<double> log10_delay(-5.0, std::log10(0.05));
  int killed = 0, old_kept = 0, json_replaced = 0, mixed = 0, temporaries = 0;
  for (int i = 0; i < kRuns; ++i) {
    WriteFile(json, old_json);
    WriteFile(trace, old_trace);
    const bool aimed_at_the_write = i % 2 == 1;
    const int watch = aimed_at_the_write ? inotify_init1(IN_CLOEXEC) : -1;
    if (aimed_at_the_write) {
      ASSERT_GE(watch, 0);
      ASSERT_GE(inotify_add_watch(
                    watch, outputs_.c_str(),
                    IN_CREATE | IN_OPEN | IN_MODIFY | IN_MOVED_TO | IN_DELETE),
                0);
    }
    const pid_t pid = Start(arguments, logs_);
    ASSERT_GT(pid, 0);
    double delay = over_the_run(random);
    if (aimed_at_the_write) {
      pollfd event = {watch, POLLIN, 0};
      const int waited = ::poll(&event, 1, 10000);
      EXPECT_EQ(waited, 1) << "no file event in the output folder in 10 s";
      delay = std::pow(10.0, log10_delay(random));
    }
    // Sleep, then busy-wait the last 2 ms: a sleep alone would round the
    // microsecond delays up, a long busy-wait would take the child's core.
    const auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(delay);
    std::this_thread::sleep_until(kill_at - std::chrono::milliseconds(2));
    while (std::chrono::steady_clock::now() < kill_at) {
    }
    ::kill(pid, SIGKILL);
    const Execution run = Finish(pid, logs_);
    if (watch >= 0) ::close(watch);
    SCOPED_TRACE("run " + std::to_string(i) + ", delay " +
                 std::to_string(delay) + " s");
    EXPECT_TRUE(run.killed || (run.exited && run.exit_status == 0)) << run.err;
    killed += run.killed;
    const Outcome outcome =
        CheckOutputs(outputs_, old_json, old_trace, new_json, trace_lines);
    old_kept += !outcome.json_new;
    json_replaced += outcome.json_new;
    mixed += outcome.json_new && !outcome.trace_new;
    temporaries += outcome.temporaries;
    if (!run.killed) {
      EXPECT_EQ(outcome.temporaries, 0);
    }
    if (HasFailure()) break;
  }
  // The kills spread over the run: some before the write, some after.
  EXPECT_GT(old_kept, 0);
  EXPECT_GT(json_replaced, 0);
  RecordProperty("run_seconds", std::to_string(duration));
  RecordProperty("killed", killed);
  RecordProperty("old_kept", old_kept);
  RecordProperty("json_replaced", json_replaced);
  RecordProperty("new_json_old_trace", mixed);
  RecordProperty("temporaries_left_by_kills", temporaries);
}

}  // namespace
}  // namespace fisheropt
