#ifndef FISHEROPT_TESTS_TOOLS_SCRATCH_DIRECTORY_H_
#define FISHEROPT_TESTS_TOOLS_SCRATCH_DIRECTORY_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace fisheropt {

// A fixture whose every test has a folder of its own,
// <tmp>/fisheropt_<suite>_<pid>_<test>, made before the test and removed
// after it, so that tests running in parallel (ctest -j) never share files.
class ScratchDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test =
        ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = std::filesystem::temp_directory_path() /
                 ("fisheropt_" + std::string(test->test_suite_name()) + "_" +
                  std::to_string(getpid()) + "_" + test->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // A path in the folder.
  std::string Path(const std::string& name) const {
    return (directory_ / name).string();
  }

  std::filesystem::path directory_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_TOOLS_SCRATCH_DIRECTORY_H_
