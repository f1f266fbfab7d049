#ifndef FISHEROPT_TESTS_PROBLEMS_NIST_TEST_UTILITIES_H_
#define FISHEROPT_TESTS_PROBLEMS_NIST_TEST_UTILITIES_H_

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "problems/nist_dataset.h"
#include "problems/nist_models.h"

namespace fisheropt {
namespace testing {

// The NIST StRD .dat files ship in the repository (data/nist, public
// domain); FISHEROPT_NIST_DIR is set by tests/CMakeLists.txt.
inline std::string NistDirectory() { return FISHEROPT_NIST_DIR; }

inline bool NistDirectoryExists() {
  struct stat info;
  return stat(NistDirectory().c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

inline std::string NistFile(const std::string& name) {
  return NistDirectory() + "/" + name + ".dat";
}

inline std::string ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Reads data/nist/<name>.dat into `data` and builds its model (nullptr, with
// a test failure naming the problem, when either fails).
inline std::unique_ptr<NonlinearRegressionModel> LoadNistModel(
    const std::string& name, NistDataset* data) {
  std::string error;
  EXPECT_TRUE(ReadNistDataset(NistFile(name), data, &error)) << error;
  std::unique_ptr<NonlinearRegressionModel> model =
      CreateNistModel(*data, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

}  // namespace testing
}  // namespace fisheropt

// Fails the test when the NIST files are not there: they ship with the
// repository, so a missing folder is a broken checkout, not a reason to skip.
#define FISHEROPT_REQUIRE_NIST_FILES()                                   \
  do {                                                                   \
    if (!::fisheropt::testing::NistDirectoryExists()) {                  \
      FAIL() << "NIST StRD files not found in "                          \
             << ::fisheropt::testing::NistDirectory() << " (data/nist)"; \
    }                                                                    \
  } while (false)

#endif  // FISHEROPT_TESTS_PROBLEMS_NIST_TEST_UTILITIES_H_
